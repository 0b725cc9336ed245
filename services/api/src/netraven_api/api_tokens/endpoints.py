from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from netraven_shared.db.models import Role
from netraven_shared.errors import Forbidden

from netraven_api.api_tokens import service
from netraven_api.api_tokens.schemas import ApiTokenCreate, ApiTokenCreated, ApiTokenOut
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.auth.roles import at_least
from netraven_api.deps import CallerRole, CurrentUser, SessionDep, SignInOnly
from netraven_api.errors import error_responses

router = APIRouter(prefix="/tokens", tags=["api tokens"])


@router.post(
    "",
    status_code=201,
    summary="Create an API token for scripts; its secret is in this answer only",
    description="The role is at most your own (403 otherwise); it expires after `expires_in_days` "
    "or at `expires_at` (at most 365 days; 90 by default). "
    "Send it as `Authorization: Bearer nrt_...`. An API token cannot create tokens (403): "
    "sign in with your password.",
    responses=error_responses(403, 409),
)
async def create_token(
    data: ApiTokenCreate,
    session: SessionDep,
    user: CurrentUser,
    _: SignInOnly,
    audit: AuditTrailDep,
) -> ApiTokenCreated:
    created = await service.create_token(session, user, data)
    audit.record(
        "api_token.create",
        "api_token",
        created.id,
        changes={
            "name": created.name,
            "role": created.role,
            "expires_at": created.expires_at and created.expires_at.isoformat(),
        },
    )
    return created


@router.get(
    "",
    summary="List your API tokens (admins: anyone's) with their last use; never their secrets",
    description="Admins may pass `user_id` for one user's tokens or `all=true` for everyone's.",
    responses=error_responses(403),
)
async def list_tokens(
    session: SessionDep,
    user: CurrentUser,
    role: CallerRole,
    user_id: Annotated[UUID | None, Query(description="Another user's tokens (admin)")] = None,
    everyone: Annotated[
        bool, Query(alias="all", description="Every user's tokens (admin)")
    ] = False,
) -> list[ApiTokenOut]:
    if (everyone or user_id not in (None, user.id)) and not at_least(role, Role.ADMIN):
        raise Forbidden("only admins may list other users' tokens")
    return await service.list_tokens(session, None if everyone else (user_id or user.id))


@router.delete(
    "/{token_id}",
    status_code=204,
    summary="Revoke an API token (its owner or an admin); it stops working at once",
    responses=error_responses(404),
)
async def revoke_token(
    token_id: UUID,
    session: SessionDep,
    user: CurrentUser,
    role: CallerRole,
    audit: AuditTrailDep,
) -> Response:
    token = await service.revoke_token(session, token_id, user, at_least(role, Role.ADMIN))
    audit.record(
        "api_token.revoke",
        "api_token",
        token.id,
        changes={"name": token.name, "owner_id": str(token.user_id)},
    )
    return Response(status_code=204)
