from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from netraven_api.deps import CurrentUser

router = APIRouter(prefix="/users", tags=["users"])


class UserOut(BaseModel):
    id: UUID
    username: str
    role: str


@router.get("/me", summary="The logged-in user")
async def me(user: CurrentUser) -> UserOut:
    return UserOut(id=user.id, username=user.username, role=user.role)
