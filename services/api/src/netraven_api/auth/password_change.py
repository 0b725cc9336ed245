"""The signed-in user changes their own password; every other token of theirs stops working."""

from fastapi import APIRouter, Response
from netraven_shared.errors import Conflict, InvalidInput
from pydantic import BaseModel, Field

from netraven_api.audit.changes import SECRET_MARK
from netraven_api.audit.trail import SignedInAuditTrailDep
from netraven_api.auth.password_pool import hash_password, verify_password
from netraven_api.auth.sessions import end_all_sessions
from netraven_api.deps import SignedInUser
from netraven_api.errors import error_responses
from netraven_api.users.schemas import Password

router = APIRouter(prefix="/auth", tags=["auth"])


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=256)
    new_password: str = Password


@router.post(
    "/password",
    status_code=204,
    summary="Change your own password",
    description=(
        "Needs the current password. Signs you out everywhere: sign in again with the new password."
    ),
    responses=error_responses(401, 409, 422),
)
async def change_password(
    data: PasswordChange,
    user: SignedInUser,
    trail: SignedInAuditTrailDep,
) -> Response:
    if user.password_hash is None:
        raise Conflict(
            f"your password is kept by your directory ({user.auth_source}); change it there"
        )
    if not await verify_password(data.current_password, user.password_hash):
        raise InvalidInput("the current password is wrong; type the password you signed in with")
    if data.new_password == data.current_password:
        raise InvalidInput(
            "the new password is the same as the current one; choose a different one"
        )
    user.password_hash = await hash_password(data.new_password)
    user.must_change_password = False
    end_all_sessions(user)
    trail.record("user.change_password", "user", user.id, changes={"password": SECRET_MARK})
    return Response(status_code=204)
