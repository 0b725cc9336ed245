"""What an API token's secret looks like and how it is kept: random and long, so SHA-256 is enough
(no salt or slow hash needed: there is nothing to guess)."""

import hashlib
import secrets

SECRET_PREFIX = "nrt_"
_DISPLAY_LENGTH = len(SECRET_PREFIX) + 8


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def is_api_token(bearer: str) -> bool:
    return bearer.startswith(SECRET_PREFIX)


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(secret: str) -> str:
    return secret[:_DISPLAY_LENGTH]
