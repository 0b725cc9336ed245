"""A credential's SSH private key as a session offers it, and how the session logged in.

The key is read once, when the credential is decrypted (inventory.py), into a paramiko key that
lives in this process's memory only, like the password beside it. The session offers it and
nothing else: no file of ~/.ssh, no agent of the worker's user (connection.py turns both off).
"""

import io
from typing import Literal

import paramiko
from netraven_shared.ssh_private_keys import read_private_key

LoggedInWith = Literal["key", "password"]

_PARAMIKO_KEYS: dict[str, type[paramiko.PKey]] = {
    "ssh-rsa": paramiko.RSAKey,
    "ssh-ed25519": paramiko.Ed25519Key,
}


def login_key(text: str, passphrase: str | None) -> paramiko.PKey:
    """The paramiko key of a stored private key (any format the api accepted)."""
    key = read_private_key(text, passphrase)
    key_class = _PARAMIKO_KEYS.get(key.key_type, paramiko.ECDSAKey)
    return key_class.from_private_key(io.StringIO(key.openssh_text))


def logged_in_with(client: object) -> LoggedInWith | None:
    """Which secret the device accepted, as paramiko's authentication handler recorded it (a
    Telnet session has no SSH client to ask)."""
    transport = client.get_transport() if isinstance(client, paramiko.SSHClient) else None
    handler = getattr(transport, "auth_handler", None) if transport is not None else None
    method = getattr(handler, "auth_method", None)
    if method == "publickey":
        return "key"
    if method in ("password", "keyboard-interactive"):
        return "password"
    return None
