from fastapi import APIRouter

from netraven_api.credentials import service
from netraven_api.credentials.schemas import CredentialCreate, CredentialOut
from netraven_api.deps import Operator, SessionDep, SettingsDep
from netraven_shared.crypto import CredentialCipher

router = APIRouter(prefix="/credentials", tags=["credentials"])


@router.post("", status_code=201, summary="Add a device login (stored encrypted, never returned)")
async def create_credential(data: CredentialCreate, session: SessionDep, settings: SettingsDep, _: Operator) -> CredentialOut:
    credential = await service.create_credential(session, data, CredentialCipher(settings.credential_key))
    await session.commit()
    return service.credential_out(credential)


@router.get("", summary="List credentials, without secrets")
async def list_credentials(session: SessionDep, _: Operator) -> list[CredentialOut]:
    return [service.credential_out(c) for c in await service.list_credentials(session)]
