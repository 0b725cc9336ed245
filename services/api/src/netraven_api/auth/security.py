"""Password hashing (argon2) and JWT access tokens."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from uuid import UUID

import jwt
from netraven_shared.db.models import User
from netraven_shared.errors import NotAuthenticated
from pwdlib import PasswordHash

ALGORITHM = "HS256"
_hasher = PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return _hasher.verify(password, password_hash)


@cache
def _unused_hash() -> str:
    return _hasher.hash("a password nobody has")


def spend_verification_time(password: str) -> None:
    """Check against a hash nobody has, so a login for an unknown user takes as long as one for a
    known user with a wrong password: timing must not reveal which usernames exist."""
    _hasher.verify(password, _unused_hash())


STREAM_SCOPE = "logs:stream"


@dataclass(frozen=True)
class TokenClaims:
    """Who the caller is. For an API token, `token_id` names it and `role` caps what it may do."""

    user_id: UUID
    token_version: int
    auth_time: datetime
    token_id: UUID | None = None
    role: str | None = None


def issue_token(
    user: User,
    secret: str,
    lifetime: timedelta,
    auth_time: datetime,
    scope: str | None = None,
) -> str:
    """An access token; with `scope`, a narrow token good only for that one use. `auth_time` is when
    the user signed in with a password: refreshed tokens keep it, so a session cannot be stretched
    forever."""
    now = datetime.now(UTC)
    claims = {
        "sub": str(user.id),
        "role": user.role,
        "tv": user.token_version,
        "auth_time": int(auth_time.timestamp()),
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims | ({"scope": scope} if scope else {}), secret, algorithm=ALGORITHM)


def read_token(token: str, secret: str, scope: str | None = None) -> TokenClaims:
    """The token's claims; a scoped token is accepted only where its scope is asked for, and vice
    versa."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "tv", "auth_time"]},
        )
        if claims.get("scope") != scope:
            raise ValueError("token scope does not fit this endpoint")
        return TokenClaims(
            UUID(claims["sub"]), int(claims["tv"]), datetime.fromtimestamp(claims["auth_time"], UTC)
        )
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError, OSError) as error:
        raise NotAuthenticated("invalid or expired token; log in again") from error
