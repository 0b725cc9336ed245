"""Sealing a remote site's requests: X25519 sealed boxes (libsodium's `crypto_box_seal`, PyNaCl).

A site generates its key pair itself and registers only the public half with the api; the private
key stays on the site's collectors. The api seals each `SiteRequest` to the site's public key with
a fresh ephemeral key, so the ciphertext says nothing about who sealed it and only the site can open
it: another site's key, the api itself, NATS and anyone reading the stream cannot.
"""

import base64
import binascii
import hashlib
from pathlib import Path

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from pydantic import ValidationError

from netraven_shared.events.site_dispatch import SiteRequest

KEY_BYTES = 32


class InvalidSiteKey(ValueError):
    """Not the base64 of a 32-byte X25519 key."""


class CannotOpen(Exception):
    """A sealed request this site's key does not open, or whose content is not a `SiteRequest`."""


def decoded_key(text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidSiteKey("the key is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise InvalidSiteKey(f"the key is {len(raw)} bytes; an X25519 key is {KEY_BYTES}")
    return raw


def fingerprint(public_key: str) -> str:
    """`SHA256:` and the unpadded base64 of the key's digest, as SSH shows fingerprints."""
    digest = hashlib.sha256(decoded_key(public_key)).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def new_private_key() -> PrivateKey:
    return PrivateKey.generate()


def encoded(key: PrivateKey | PublicKey) -> str:
    return base64.b64encode(bytes(key)).decode()


def public_key_of(private_key: PrivateKey) -> str:
    return encoded(private_key.public_key)


def read_private_key(path: Path) -> PrivateKey:
    try:
        return PrivateKey(decoded_key(path.read_text()))
    except OSError as error:
        raise InvalidSiteKey(f"{path} cannot be read ({error.strerror})") from None
    except InvalidSiteKey as error:
        raise InvalidSiteKey(f"{path}: {error}") from None


def seal(request: SiteRequest, public_key: str) -> str:
    box = SealedBox(PublicKey(decoded_key(public_key)))
    return base64.b64encode(box.encrypt(request.model_dump_json().encode())).decode()


def open_sealed(sealed: str, private_key: PrivateKey) -> SiteRequest:
    try:
        plaintext = SealedBox(private_key).decrypt(base64.b64decode(sealed, validate=True))
    except (CryptoError, binascii.Error, ValueError):
        raise CannotOpen("the sealed request does not open with this site's key") from None
    try:
        return SiteRequest.model_validate_json(plaintext)
    except ValidationError as error:
        raise CannotOpen(
            f"the sealed request is not a site request ({error.error_count()} errors)"
        ) from None
