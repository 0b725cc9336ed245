"""SSH private keys of device credentials: read once by the api, to refuse a key that would never
log in, and again by the worker, for each session.

A key is accepted in OpenSSH format (`BEGIN OPENSSH PRIVATE KEY`) or PEM (PKCS#1, SEC1, PKCS#8),
with or without a passphrase, when it is RSA, ECDSA or Ed25519: the types paramiko signs with.
The api stores the text and the passphrase as they were entered, both encrypted (crypto.py); only
the key's type and public fingerprint are shown. `openssh_text` is the key unencrypted in OpenSSH
format, the one format paramiko reads for all three types: it never leaves the worker's memory.

An OpenSSH key's passphrase is stretched with bcrypt for as many rounds as the key says; a key
asking for more than `MAX_KDF_ROUNDS` (ssh-keygen's default is 16) is refused before any is run,
so one pasted key cannot hold the api's CPU for minutes.
"""

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

PRIVATE_KEY_MAX_CHARS = 16_384  # an RSA-8192 key in PEM is about 6.5 KB
MAX_KDF_ROUNDS = 1024
SIGNING_KEYS = (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)
_OPENSSH_BEGIN = b"-----BEGIN OPENSSH PRIVATE KEY-----"
_OPENSSH_MAGIC = b"openssh-key-v1\x00"


class InvalidPrivateKey(ValueError):
    """The key cannot be used; the message says what the operator should change, and
    `passphrase` whether it is the passphrase that is wrong or missing."""

    def __init__(self, message: str, passphrase: bool = False) -> None:
        super().__init__(message)
        self.passphrase = passphrase


@dataclass(frozen=True)
class PrivateKey:
    key_type: str  # as OpenSSH names it: ssh-rsa, ecdsa-sha2-nistp256, ssh-ed25519, ...
    fingerprint: str  # of the public key, as `ssh-keygen -l` shows it: "SHA256:..."
    openssh_text: str


NOT_A_KEY = (
    "not a private key NetRaven can read: paste an RSA, ECDSA or Ed25519 key in OpenSSH or PEM "
    "format (the whole text, BEGIN and END lines included)"
)


def read_private_key(text: str, passphrase: str | None) -> PrivateKey:
    """The key in `text`, unlocked with `passphrase` if it has one."""
    data = text.strip().encode() + b"\n"
    password = passphrase.encode() if passphrase else None
    openssh = _OPENSSH_BEGIN in data
    encrypted = _openssh_encrypted(data) if openssh else b"ENCRYPTED" in data
    load = serialization.load_ssh_private_key if openssh else serialization.load_pem_private_key
    try:
        key = load(data, password)
    except TypeError as error:  # cryptography's word for a missing or needless password
        if password is None:
            message = "the private key is encrypted: give its passphrase"
        else:
            message = "the private key is not encrypted: leave the passphrase empty"
        raise InvalidPrivateKey(message, passphrase=True) from error
    except Exception as error:  # whatever the parsers make of text that is no key
        if password is not None and encrypted:
            message = "the passphrase does not unlock the private key"
            raise InvalidPrivateKey(message, passphrase=True) from error
        raise InvalidPrivateKey(NOT_A_KEY) from error
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


def _openssh_encrypted(data: bytes) -> bool:
    """Whether an OpenSSH key has a passphrase; refuses a key whose bcrypt rounds are too many."""
    body = b"".join(line for line in data.splitlines() if not line.startswith(b"-----"))
    try:
        blob = base64.b64decode(body)
        if not blob.startswith(_OPENSSH_MAGIC):
            return False
        fields, offset = [], len(_OPENSSH_MAGIC)
        for _ in range(3):  # cipher name, KDF name, KDF options
            (length,) = struct.unpack_from(">I", blob, offset)
            fields.append(blob[offset + 4 : offset + 4 + length])
            offset += 4 + length
    except (binascii.Error, struct.error):
        return False
    cipher, kdf, options = fields
    if kdf == b"bcrypt":
        _refuse_slow(options)
    return cipher != b"none"


def _refuse_slow(kdf_options: bytes) -> None:
    """bcrypt's options: the salt (a length-prefixed string), then the rounds."""
    try:
        (salt_length,) = struct.unpack_from(">I", kdf_options, 0)
        (rounds,) = struct.unpack_from(">I", kdf_options, 4 + salt_length)
    except struct.error:
        return  # malformed: the parser refuses it
    if rounds > MAX_KDF_ROUNDS:
        raise InvalidPrivateKey(
            f"the private key's passphrase is stretched over {rounds} bcrypt rounds, more than "
            f"{MAX_KDF_ROUNDS}: export it again with `ssh-keygen -p -a 16 -f <key>`"
        )
