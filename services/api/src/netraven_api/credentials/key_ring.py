"""The credential key ring as operators manage it: how many credentials each key encrypts, and
rotation of every credential onto the primary key, so an old key can be retired
(docs/secrets.md)."""

from dataclasses import dataclass

from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.models import Credential
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.credentials import repository


@dataclass(frozen=True)
class KeyUsage:
    key_id: str
    credentials: int
    in_ring: bool
    primary: bool


@dataclass(frozen=True)
class Rotation:
    rotated: int
    already_on_primary: int


# Every encrypted column of a credential: one key id per row seals them all.
SECRET_COLUMNS = (
    "password_encrypted",
    "enable_secret_encrypted",
    "private_key_encrypted",
    "private_key_passphrase_encrypted",
)


def reseal(credential: Credential, cipher: CredentialCipher) -> bool:
    """Every secret of `credential` encrypted with the primary key; False if they already were.
    All at once, because a row records one key id for them all."""
    if credential.key_id == cipher.primary_key_id:
        return False
    sealed_with = {"key_id": credential.key_id, "credential": credential.name}
    for column in SECRET_COLUMNS:
        token = getattr(credential, column)
        if token is not None:
            setattr(credential, column, cipher.reencrypt(token, **sealed_with))
    credential.key_id = cipher.primary_key_id
    return True


async def key_usage(session: AsyncSession, cipher: CredentialCipher) -> list[KeyUsage]:
    """Every key of the ring in its order, then the keys credentials use that the ring lacks."""
    counts = await repository.count_by_key(session)
    ring = cipher.ring.ids
    return [
        KeyUsage(
            key_id,
            counts.get(key_id, 0),
            in_ring=key_id in ring,
            primary=key_id == cipher.primary_key_id,
        )
        for key_id in [*ring, *sorted(set(counts) - set(ring))]
    ]


async def rotate(session: AsyncSession, cipher: CredentialCipher) -> Rotation:
    """Re-encrypt every credential not on the primary key, in the caller's unit of work: a key
    missing for one credential leaves every row as it was."""
    credentials = await repository.all_locked(session)
    rotated = sum(reseal(credential, cipher) for credential in credentials)
    await session.flush()
    return Rotation(rotated=rotated, already_on_primary=len(credentials) - rotated)
