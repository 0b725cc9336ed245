"""SSH private keys of device credentials: read once by the api, to refuse a key that would never
log in, and again by the worker, for each session.

A key is accepted in OpenSSH format (`BEGIN OPENSSH PRIVATE KEY`) or PEM (PKCS#1, SEC1, PKCS#8),
with or without a passphrase, when it is RSA, ECDSA or Ed25519: the types paramiko signs with.
The api stores the text and the passphrase as they were entered, both encrypted (crypto.py); only
the key's type and public fingerprint are shown. `openssh_text` is the key unencrypted in OpenSSH
format, the one format paramiko reads for all three types: it never leaves the worker's memory.
"""

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

PRIVATE_KEY_MAX_CHARS = 16_384  # an RSA-8192 key in PEM is about 6.5 KB
SIGNING_KEYS = (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)


class InvalidPrivateKey(ValueError):
    """The key cannot be used; the message says what the operator should change."""


@dataclass(frozen=True)
class PrivateKey:
    key_type: str  # as OpenSSH names it: ssh-rsa, ecdsa-sha2-nistp256, ssh-ed25519, ...
    fingerprint: str  # of the public key, as `ssh-keygen -l` shows it: "SHA256:..."
    openssh_text: str


def read_private_key(text: str, passphrase: str | None) -> PrivateKey:
    """The key in `text`, unlocked with `passphrase` if it has one."""
    data = text.strip().encode() + b"\n"
    password = passphrase.encode() if passphrase else None
    load = (
        serialization.load_ssh_private_key
        if b"BEGIN OPENSSH PRIVATE KEY" in data
        else serialization.load_pem_private_key
    )
    try:
        key = load(data, password)
    except TypeError as error:  # cryptography's word for a missing or needless password
        if password is None:
            raise InvalidPrivateKey("the private key is encrypted: give its passphrase") from error
        raise InvalidPrivateKey(
            "the private key is not encrypted: leave the passphrase empty"
        ) from error
    except UnsupportedAlgorithm as error:
        raise InvalidPrivateKey(f"unsupported private key: {error}") from error
    except ValueError as error:
        if password is not None and _is_encrypted(data):
            raise InvalidPrivateKey("the passphrase does not unlock the private key") from error
        raise InvalidPrivateKey(
            "not a private key NetRaven can read: paste an RSA, ECDSA or Ed25519 key in "
            "OpenSSH or PEM format (the whole text, BEGIN and END lines included)"
        ) from error
    if not isinstance(key, SIGNING_KEYS):
        raise InvalidPrivateKey(
            "only RSA, ECDSA and Ed25519 keys can log in (DSA keys are no longer accepted)"
        )
    openssh_text = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    ).decode()
    public_line = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    key_type, blob = public_line.split()[:2]
    digest = hashlib.sha256(base64.b64decode(blob)).digest()
    fingerprint = "SHA256:" + base64.b64encode(digest).decode().rstrip("=")
    return PrivateKey(key_type.decode(), fingerprint, openssh_text)


def _is_encrypted(data: bytes) -> bool:
    if b"BEGIN OPENSSH PRIVATE KEY" in data:
        body = b"".join(line for line in data.splitlines() if not line.startswith(b"-----"))
        return b"none" not in base64.b64decode(body)[:64]
    return b"ENCRYPTED" in data
