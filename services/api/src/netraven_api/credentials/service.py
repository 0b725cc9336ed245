from uuid import UUID

from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.models import Credential
from netraven_shared.errors import Conflict, NotFound
from netraven_shared.ssh_private_keys import PrivateKey
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.credentials import repository
from netraven_api.credentials.key_ring import reseal
from netraven_api.credentials.private_key import (
    checked_private_key,
    neither_password_nor_key,
    passphrase_without_key,
)
from netraven_api.credentials.schemas import (
    AuthMethod,
    CredentialCreate,
    CredentialOut,
    CredentialUpdate,
)
from netraven_api.credentials.sealed_rows import CREDENTIALS
from netraven_api.jump_hosts.repository import jump_hosts_using
from netraven_api.tags.repository import tags_named


def credential_out(credential: Credential) -> CredentialOut:
    return CredentialOut(
        id=credential.id,
        name=credential.name,
        username=credential.username,
        priority=credential.priority,
        tags=[tag.name for tag in credential.tags],
        auth_methods=auth_methods(credential),
        private_key_type=credential.private_key_type,
        private_key_fingerprint=credential.private_key_fingerprint,
        has_enable_secret=credential.enable_secret_encrypted is not None,
        success_count=credential.success_count,
        failure_count=credential.failure_count,
        last_success_at=credential.last_success_at,
    )


def auth_methods(credential: Credential) -> list[AuthMethod]:
    """What the credential logs in with, in the order a session offers them."""
    methods: list[AuthMethod] = []
    if credential.private_key_encrypted is not None:
        methods.append("key")
    if credential.password_encrypted is not None:
        methods.append("password")
    return methods


def _sealed(cipher: CredentialCipher, secret: str | None) -> bytes | None:
    return cipher.encrypt(secret) if secret is not None else None


def _set_private_key(
    credential: Credential,
    cipher: CredentialCipher,
    text: str | None,
    passphrase: str | None,
    key: PrivateKey | None,
) -> None:
    """Stores the key as entered, with its passphrase; `None` removes both."""
    credential.private_key_encrypted = _sealed(cipher, text)
    credential.private_key_passphrase_encrypted = _sealed(cipher, passphrase if key else None)
    credential.private_key_type = key.key_type if key else None
    credential.private_key_fingerprint = key.fingerprint if key else None


def _checked_key(text: str | None, passphrase: str | None) -> PrivateKey | None:
    if text is None:
        if passphrase is not None:
            raise passphrase_without_key()
        return None
    return checked_private_key(text, passphrase)


async def _refuse_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> None:
    if await repository.name_taken(session, name, except_id):
        raise Conflict(f"a credential named '{name}' already exists")


async def create_credential(
    session: AsyncSession, data: CredentialCreate, cipher: CredentialCipher
) -> Credential:
    key = _checked_key(data.private_key, data.private_key_passphrase)
    if key is None and data.password is None:
        raise neither_password_nor_key()
    await _refuse_taken(session, data.name)
    credential = Credential(
        name=data.name,
        username=data.username,
        priority=data.priority,
        password_encrypted=_sealed(cipher, data.password),
        enable_secret_encrypted=_sealed(cipher, data.enable_secret),
        key_id=cipher.primary_key_id,
        tags=await tags_named(session, data.tags),
    )
    _set_private_key(credential, cipher, data.private_key, data.private_key_passphrase, key)
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
    sent = data.model_fields_set
    key = _checked_key(data.private_key, data.private_key_passphrase)
    keeps_password = (
        data.password is not None
        if "password" in sent
        else credential.password_encrypted is not None
    )
    keeps_key = (
        key is not None if "private_key" in sent else credential.private_key_encrypted is not None
    )
    if not (keeps_password or keeps_key):
        raise neither_password_nor_key()
    if data.name is not None and data.name != credential.name:
        await _refuse_taken(session, data.name, except_id=credential.id)
        credential.name = data.name
    if data.username is not None:
        credential.username = data.username
    replaced = sent & {"password", "enable_secret", "private_key"}
    if replaced:
        # One key id per row: a secret that stays is re-encrypted with the new one's key. When all
        # are replaced the old key is not needed, so a credential whose key is lost can be entered
        # again.
        stays = any(
            getattr(credential, f"{secret}_encrypted") is not None
            for secret in {"password", "enable_secret", "private_key"} - replaced
        )
        if stays:
            reseal(credential, CREDENTIALS, cipher)
        credential.key_id = cipher.primary_key_id
    if "password" in sent:
        credential.password_encrypted = _sealed(cipher, data.password)
    if "enable_secret" in sent:
        credential.enable_secret_encrypted = _sealed(cipher, data.enable_secret)
    if "private_key" in sent:
        _set_private_key(credential, cipher, data.private_key, data.private_key_passphrase, key)
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
