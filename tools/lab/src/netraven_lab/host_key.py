"""The SSH host key every simulated device presents."""

import functools
from pathlib import Path

import asyncssh


def load_or_create_host_key(path: Path | None = None) -> asyncssh.SSHKey:
    """The key at path (created there on first use), or one key shared by this whole process.

    Keeping the key on disk lets a restarted lab keep the identity clients already trust.
    """
    if path is None:
        return _process_host_key()
    if path.exists():
        return asyncssh.read_private_key(path)
    key = _generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    key.write_private_key(path)
    return key


@functools.cache
def _process_host_key() -> asyncssh.SSHKey:
    return _generate()


def _generate() -> asyncssh.SSHKey:
    # RSA rather than Ed25519: every paramiko version netmiko supports negotiates it.
    return asyncssh.generate_private_key("ssh-rsa", key_size=2048)
