from uuid import UUID

from fastapi import APIRouter, Response
from netraven_shared.crypto import credential_cipher

from netraven_api.audit.changes import summarize
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.credentials import service
from netraven_api.credentials.schemas import CredentialCreate, CredentialOut, CredentialUpdate
from netraven_api.deps import Admin, Operator, SessionDep, SettingsDep
from netraven_api.errors import error_responses

router = APIRouter(prefix="/credentials", tags=["credentials"], responses=error_responses(403))


@router.post(
    "",
    status_code=201,
    summary="Add a device login (admin; stored encrypted, never returned)",
    responses=error_responses(409),
)
async def create_credential(
    data: CredentialCreate,
    session: SessionDep,
    settings: SettingsDep,
    _: Admin,
    trail: AuditTrailDep,
) -> CredentialOut:
    credential = await service.create_credential(session, data, credential_cipher(settings))
    trail.record("credential.create", "credential", credential.id, changes=summarize(data))
    return service.credential_out(credential)


@router.get("", summary="List credentials, without secrets")
async def list_credentials(session: SessionDep, _: Operator) -> list[CredentialOut]:
    return [service.credential_out(c) for c in await service.list_credentials(session)]


@router.get(
    "/{credential_id}",
    summary="Get one credential, without secrets",
    responses=error_responses(404),
)
async def get_credential(credential_id: UUID, session: SessionDep, _: Operator) -> CredentialOut:
    return service.credential_out(await service.get_credential(session, credential_id))


@router.patch(
    "/{credential_id}",
    summary=(
        "Change a credential (admin; only the fields sent; secrets re-encrypted, never returned)"
    ),
    responses=error_responses(404, 409),
)
async def update_credential(
    credential_id: UUID,
    data: CredentialUpdate,
    session: SessionDep,
    settings: SettingsDep,
    _: Admin,
    trail: AuditTrailDep,
) -> CredentialOut:
    cipher = credential_cipher(settings)
    before = service.credential_out(await service.get_credential(session, credential_id))
    credential = await service.update_credential(session, credential_id, data, cipher)
    out = service.credential_out(credential)
    trail.record(
        "credential.update", "credential", credential_id, changes=summarize(data, before, out)
    )
    return out


@router.delete(
    "/{credential_id}",
    status_code=204,
    summary="Delete a credential (admin; past results and bound devices keep no link to it)",
    responses=error_responses(404),
)
async def delete_credential(
    credential_id: UUID, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> Response:
    name = (await service.get_credential(session, credential_id)).name
    await service.delete_credential(session, credential_id)
    trail.record("credential.delete", "credential", credential_id, changes={"name": name})
    return Response(status_code=204)
