"""SSH host keys as NetRaven pins them: the key type, the public key blob and its SHA-256
fingerprint.

A device's key is pinned in PostgreSQL (columns `devices.host_key_*`) the first time a session
verifies nothing else was pinned (trust on first use), or ahead of time by an admin (known_hosts
lines, per device or on import). Every later session compares the key the device offers with the pin
before any password is sent.

A device reached over HTTPS (an API input) is pinned the same way by its TLS certificate's public
key: key type `x509-spki`, the base64 of the certificate's SubjectPublicKeyInfo (DER), and the
SHA-256 fingerprint of those bytes. A renewed certificate on the same key stays trusted; a new key
is a change an admin accepts.
"""

import base64
import binascii
import hashlib
from enum import StrEnum
from typing import Annotated

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

KEY_TYPE_MAX_CHARS = 50
PUBLIC_KEY_MAX_CHARS = 4096  # base64 of an RSA-16384 key still fits
FINGERPRINT_MAX_CHARS = 60  # "SHA256:" and 43 base64 characters

KeyType = Annotated[
    str, StringConstraints(min_length=1, max_length=KEY_TYPE_MAX_CHARS, pattern=r"^[a-z0-9@.\-]+$")
]
PublicKey = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=PUBLIC_KEY_MAX_CHARS, pattern=r"^[A-Za-z0-9+/]+={0,2}$"
    ),
]


X509_SPKI = "x509-spki"  # a TLS certificate's public key, pinned as a host key


class HostKeyStatus(StrEnum):
    NONE = (
        "none"  # nothing pinned yet: the next session pins what it sees (unless pinning is strict)
    )
    PINNED = "pinned"  # sessions verify the device against the pinned key
    # the device offered another key than the pinned one: no backup until an admin accepts it
    CHANGED = "changed"
    UNTRUSTED = (
        "untrusted"  # strict pinning and nothing pre-loaded: an admin must accept or load the key
    )


class InvalidHostKey(ValueError):
    pass


def fingerprint_of(public_key: str) -> str:
    """OpenSSH's SHA-256 fingerprint of a base64 public key blob: `SHA256:` and unpadded base64."""
    try:
        blob = base64.b64decode(public_key, validate=True)
    except binascii.Error as error:
        raise InvalidHostKey("the public key is not valid base64") from error
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


class HostKey(BaseModel):
    """One public host key; `fingerprint` is always the one computed from `public_key`."""

    model_config = ConfigDict(frozen=True)

    key_type: KeyType
    public_key: PublicKey
    fingerprint: str = Field(default="", max_length=FINGERPRINT_MAX_CHARS)

    @model_validator(mode="after")
    def _fingerprint_matches_the_key(self) -> "HostKey":
        computed = fingerprint_of(self.public_key)
        if self.fingerprint and self.fingerprint != computed:
            raise ValueError(f"fingerprint {self.fingerprint} is not the key's ({computed})")
        object.__setattr__(self, "fingerprint", computed)
        return self

    @classmethod
    def parse(cls, text: str) -> "HostKey":
        """`ssh-ed25519 AAAA...` (an optional comment after the key is ignored)."""
        fields = text.split()
        if len(fields) < 2:
            raise InvalidHostKey(
                "expected '<key type> <base64 key>', as in a known_hosts line or a .pub file"
            )
        try:
            key = cls(key_type=fields[0], public_key=fields[1])
        except ValueError as error:
            raise InvalidHostKey(f"not an SSH public key: {error}") from error
        if key.key_type == X509_SPKI:
            _check_spki(key.public_key)
        elif _embedded_type(key.public_key) != key.key_type:
            raise InvalidHostKey(f"the key blob is not of type {key.key_type}")
        return key

    def openssh(self) -> str:
        return f"{self.key_type} {self.public_key}"


def _check_spki(public_key: str) -> None:
    try:
        serialization.load_der_public_key(base64.b64decode(public_key))
    except (ValueError, UnsupportedAlgorithm) as error:
        raise InvalidHostKey(f"not a DER SubjectPublicKeyInfo: {error}") from error


def _embedded_type(public_key: str) -> str:
    """The key type the SSH wire format writes first in the blob (a 4-byte length, then the
    name)."""
    blob = base64.b64decode(public_key)
    length = int.from_bytes(blob[:4], "big")
    return blob[4 : 4 + length].decode("ascii", errors="replace")


def parse_known_hosts(text: str) -> list[tuple[list[str], HostKey]]:
    """Each line of an OpenSSH known_hosts file as (host patterns, key).

    Hashed host names (`|1|...`) and markers (`@cert-authority`, `@revoked`) cannot be matched to a
    device and are refused with the line number, as are malformed lines; comments and blanks are
    skipped.
    """
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            raise InvalidHostKey(
                f"line {number}: markers such as {line.split()[0]} are not supported"
            )
        hosts, _, key_text = line.partition(" ")
        if hosts.startswith("|"):
            raise InvalidHostKey(
                f"line {number}: hashed host names cannot be matched to a device "
                "(ssh-keygen -F prints them unhashed)"
            )
        try:
            entries.append((hosts.split(","), HostKey.parse(key_text)))
        except InvalidHostKey as error:
            raise InvalidHostKey(f"line {number}: {error}") from error
    return entries


def known_hosts_name(host: str, port: int) -> str:
    """How known_hosts names a host: bare on port 22, `[host]:port` elsewhere."""
    return host if port == 22 else f"[{host}]:{port}"
