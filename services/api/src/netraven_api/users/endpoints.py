from uuid import UUID

from fastapi import APIRouter
from netraven_shared.db.models import User

from netraven_api.audit.changes import summarize
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.deps import Admin, CallerAccount, SessionDep
from netraven_api.errors import error_responses
from netraven_api.users import repository, service
from netraven_api.users.schemas import UserCreate, UserOut, UserUpdate

router = APIRouter(prefix="/users", tags=["users"])


def user_out(user: User) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


@router.get("/me", summary="The signed-in user (answers even before a required password change)")
async def me(user: CallerAccount) -> UserOut:
    return user_out(user)


@router.get("", summary="List users (admin)", responses=error_responses(403))
async def list_users(session: SessionDep, _: Admin) -> list[UserOut]:
    return [user_out(u) for u in await repository.list_users(session)]


@router.post(
    "", status_code=201, summary="Create a user (admin)", responses=error_responses(403, 409)
)
async def create_user(
    data: UserCreate, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> UserOut:
    user = await service.create_user(session, data)
    trail.record("user.create", "user", user.id, changes=summarize(data))
    return user_out(user)


@router.patch(
    "/{user_id}",
    summary="Change a user's role, password, or disable them (admin)",
    responses=error_responses(403, 404, 409),
)
async def update_user(
    user_id: UUID, data: UserUpdate, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> UserOut:
    found = await repository.get_user(session, user_id)
    before = user_out(found) if found else None
    user = await service.update_user(session, user_id, data)
    trail.record("user.update", "user", user_id, changes=summarize(data, before, user_out(user)))
    return user_out(user)
