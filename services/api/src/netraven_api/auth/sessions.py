"""Sessions end together: every token carries the account's token version, and raising it revokes
them all."""

from netraven_shared.db.models import User

SESSION_ENDED = "your session was ended: sign in again"


def end_all_sessions(user: User) -> None:
    """Revoke every token the user holds (takes effect when the caller commits). Incremented in SQL,
    so two concurrent revocations cannot both write the same new version."""
    user.token_version = User.token_version + 1


def is_current(user: User, token_version: int) -> bool:
    return user.is_active and user.token_version == token_version
