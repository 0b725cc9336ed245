from uuid import UUID

from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.models import Credential
from netraven_shared.errors import Conflict, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.credentials import repository
from netraven_api.credentials.key_ring import reseal
from netraven_api.credentials.schemas import CredentialCreate, CredentialOut, CredentialUpdate
from netraven_api.jump_hosts.repository import jump_hosts_using
from netraven_api.tags.repository import tags_named


def credential_out(credential: Credential) -> CredentialOut:
    return CredentialOut(
        id=credential.id,
        name=credential.name,
        username=credential.username,
        priority=credential.priority,
        tags=[tag.name for tag in credential.tags],
        has_enable_secret=credential.enable_secret_encrypted is not None,
        success_count=credential.success_count,
        failure_count=credential.failure_count,
        last_success_at=credential.last_success_at,
    )


async def _refuse_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> None:
    if await repository.name_taken(session, name, except_id):
        raise Conflict(f"a credential named '{name}' already exists")


async def create_credential(
    session: AsyncSession, data: CredentialCreate, cipher: CredentialCipher
) -> Credential:
    await _refuse_taken(session, data.name)
    credential = Credential(
        name=data.name,
        username=data.username,
        priority=data.priority,
        password_encrypted=cipher.encrypt(data.password),
        enable_secret_encrypted=cipher.encrypt(data.enable_secret) if data.enable_secret else None,
        key_id=cipher.primary_key_id,
        tags=await tags_named(session, data.tags),
    )
    session.add(credential)
    await session.flush()
    return credential


async def list_credentials(session: AsyncSession) -> list[Credential]:
    return await repository.list_credentials(session)


async def get_credential(session: AsyncSession, credential_id: UUID) -> Credential:
    credential = await repository.get_credential(session, credential_id)
    if credential is None:
        raise NotFound(f"no credential with id {credential_id}")
    return credential


async def update_credential(
    session: AsyncSession, credential_id: UUID, data: CredentialUpdate, cipher: CredentialCipher
) -> Credential:
    credential = await get_credential(session, credential_id)
    if data.name is not None and data.name != credential.name:
        await _refuse_taken(session, data.name, except_id=credential.id)
        credential.name = data.name
    if data.username is not None:
        credential.username = data.username
    replaces_enable_secret = "enable_secret" in data.model_fields_set
    if data.password is not None or replaces_enable_secret:
        # One key id per row: a secret that stays is re-encrypted with the new one's key. When both
        # are replaced the old key is not needed, so a credential whose key is lost can be entered
        # again.
        keeps_one = data.password is None or (
            not replaces_enable_secret and credential.enable_secret_encrypted is not None
        )
        if keeps_one:
            reseal(credential, cipher)
        credential.key_id = cipher.primary_key_id
    if data.password is not None:
        credential.password_encrypted = cipher.encrypt(data.password)
    if replaces_enable_secret:
        secret = data.enable_secret
        credential.enable_secret_encrypted = cipher.encrypt(secret) if secret is not None else None
    if data.priority is not None:
        credential.priority = data.priority
    if data.tags is not None:
        credential.tags = await tags_named(session, data.tags)
    await session.flush()
    return credential


async def delete_credential(session: AsyncSession, credential_id: UUID) -> None:
    """409 while a jump host logs in with it."""
    if jump_hosts := await jump_hosts_using(session, credential_id):
        raise Conflict(
            f"jump hosts {', '.join(jump_hosts)} log in with this credential: "
            "give them another one first",
            {"jump_hosts": jump_hosts},
        )
    if not await repository.delete_credential(session, credential_id):
        raise NotFound(f"no credential with id {credential_id}")
