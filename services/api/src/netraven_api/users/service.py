from uuid import UUID

from netraven_shared.db.models import Role, User
from netraven_shared.errors import Conflict, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.api_tokens.service import revoke_all_tokens
from netraven_api.auth.password_pool import hash_password
from netraven_api.auth.sessions import end_all_sessions
from netraven_api.users import repository
from netraven_api.users.schemas import UserCreate, UserUpdate


async def create_user(session: AsyncSession, data: UserCreate) -> User:
    if await repository.name_taken(session, data.username):
        raise Conflict(f"a user named '{data.username}' already exists")
    user = User(
        username=data.username,
        password_hash=await hash_password(data.password),
        role=data.role,
        must_change_password=True,
    )
    session.add(user)
    await session.flush()
    return user


async def update_user(session: AsyncSession, user_id: UUID, data: UserUpdate) -> User:
    user = await repository.get_user(session, user_id, for_update=True)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    stays_admin = (data.role or user.role) == Role.ADMIN and (
        user.is_active if data.is_active is None else data.is_active
    )
    leaves_the_admins = user.role == Role.ADMIN and user.is_active and not stays_admin
    if leaves_the_admins and await repository.active_admins(session) <= 1:
        raise Conflict("this is the last active admin: make another user admin first")
    revokes = (
        data.role not in (None, user.role) or data.is_active is False or data.password is not None
    )
    if data.role is not None:
        user.role = data.role
    if data.is_active is not None:
        user.is_active = data.is_active
    if data.password is not None:
        if user.password_hash is None:
            raise Conflict(
                f"'{user.username}' signs in through {user.auth_source}: set the password in the "
                "directory"
            )
        user.password_hash = await hash_password(data.password)
        user.must_change_password = True
    if revokes:
        end_all_sessions(user)
    if data.is_active is False:
        await revoke_all_tokens(session, user.id)
    await session.flush()
    return user
