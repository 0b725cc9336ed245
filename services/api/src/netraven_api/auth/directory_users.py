"""Accounts that a directory (an OIDC provider, LDAP) vouches for: their role comes from their
groups, and they are created on first sign-in and brought in line with the directory on every one
after."""

from collections.abc import Iterable, Mapping

from netraven_shared.db.models import AuthSource, Role, User
from netraven_shared.errors import Conflict, NotAuthenticated
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.auth.sessions import end_all_sessions
from netraven_api.users import repository

_STRONGEST_FIRST = (Role.ADMIN, Role.OPERATOR, Role.VIEWER)

# Which directory groups give which role, e.g. {"admin": ["netraven-admins"], "viewer": ["noc"]}.
GroupRoles = Mapping[Role, Iterable[str]]


def role_for_groups(groups: Iterable[str], group_roles: GroupRoles) -> Role | None:
    """The strongest role any of the groups gives (group names compare case-insensitively); None
    when the user is in no mapped group, who must not get in at all."""
    member_of = {group.casefold() for group in groups}
    for role in _STRONGEST_FIRST:
        if member_of & {group.casefold() for group in group_roles.get(role, ())}:
            return role
    return None


async def sign_in_directory_user(
    session: AsyncSession,
    source: AuthSource,
    external_id: str,
    username: str,
    groups: Iterable[str],
    group_roles: GroupRoles,
) -> User:
    """The NetRaven account of a directory user who just proved who they are, created or updated to
    match the directory (username and role). Refused when no group maps to a role, when an admin
    disabled the account here, or when a local account already has the name. Flushed; the caller's
    unit of work commits."""
    role = role_for_groups(groups, group_roles)
    if role is None:
        raise NotAuthenticated(
            f"'{username}' is in no group that has a NetRaven role; ask an admin to map one of "
            "your groups"
        )
    user = await repository.directory_user(session, source, external_id)
    if user is None:
        if await repository.name_taken(session, username):
            raise Conflict(
                f"a user named '{username}' already exists here; an admin must rename or remove it "
                "first"
            )
        user = User(
            username=username,
            password_hash=None,
            role=role,
            auth_source=source,
            external_id=external_id,
        )
        session.add(user)
        await session.flush()
        return user
    if not user.is_active:
        raise NotAuthenticated("this account is disabled in NetRaven; ask an admin")
    if user.role != role:
        user.role = role
        end_all_sessions(user)
    user.username = username
    await session.flush()
    await session.refresh(user)
    return user
