from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.credentials.schemas import CredentialCreate, CredentialOut
from netraven_api.tags.repository import tags_named
from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.models import Credential
from netraven_shared.errors import Conflict


def credential_out(credential: Credential) -> CredentialOut:
    return CredentialOut(
        id=credential.id, name=credential.name, username=credential.username, priority=credential.priority,
        tags=[tag.name for tag in credential.tags], has_enable_secret=credential.enable_secret_encrypted is not None,
        success_count=credential.success_count, failure_count=credential.failure_count,
        last_success_at=credential.last_success_at,
    )


async def create_credential(session: AsyncSession, data: CredentialCreate, cipher: CredentialCipher) -> Credential:
    if await session.scalar(select(Credential.id).where(Credential.name == data.name)):
        raise Conflict(f"a credential named '{data.name}' already exists")
    credential = Credential(
        name=data.name, username=data.username, priority=data.priority,
        password_encrypted=cipher.encrypt(data.password),
        enable_secret_encrypted=cipher.encrypt(data.enable_secret) if data.enable_secret else None,
        tags=await tags_named(session, data.tags),
    )
    session.add(credential)
    await session.flush()
    return credential


async def list_credentials(session: AsyncSession) -> list[Credential]:
    return list(await session.scalars(select(Credential).order_by(Credential.priority, Credential.name)))
