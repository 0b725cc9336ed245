"""The credential key ring as operators manage it: how many credentials and notification channels
each key encrypts, and rotation of all of them onto the primary key, so an old key can be retired
(docs/secrets.md)."""

from dataclasses import dataclass

from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.models import Credential, NotificationChannel
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.credentials import repository
from netraven_api.notifications import repository as notifications


@dataclass(frozen=True)
class KeyUsage:
    key_id: str
    credentials: int
    in_ring: bool
    primary: bool
    channels: int = 0

    @property
    def used(self) -> bool:
        return bool(self.credentials or self.channels)


@dataclass(frozen=True)
class Rotation:
    rotated: int
    already_on_primary: int
    channels_rotated: int = 0
    channels_already_on_primary: int = 0


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


def reseal_channel(channel: NotificationChannel, cipher: CredentialCipher) -> bool:
    """A notification channel's target and signing key encrypted with the primary key; False if
    they already were."""
    if channel.key_id == cipher.primary_key_id:
        return False
    sealed_with = {"key_id": channel.key_id, "credential": f"notification channel {channel.name}"}
    channel.target_encrypted = cipher.reencrypt(channel.target_encrypted, **sealed_with)
    if channel.hmac_secret_encrypted is not None:
        channel.hmac_secret_encrypted = cipher.reencrypt(
            channel.hmac_secret_encrypted, **sealed_with
        )
    channel.key_id = cipher.primary_key_id
    return True


async def key_usage(session: AsyncSession, cipher: CredentialCipher) -> list[KeyUsage]:
    """Every key of the ring in its order, then the keys credentials or channels use that the ring
    lacks."""
    counts = await repository.count_by_key(session)
    channels = await notifications.count_channels_by_key(session)
    ring = cipher.ring.ids
    return [
        KeyUsage(
            key_id,
            counts.get(key_id, 0),
            in_ring=key_id in ring,
            primary=key_id == cipher.primary_key_id,
            channels=channels.get(key_id, 0),
        )
        for key_id in [*ring, *sorted((set(counts) | set(channels)) - set(ring))]
    ]


async def rotate(session: AsyncSession, cipher: CredentialCipher) -> Rotation:
    """Re-encrypt every credential and notification channel not on the primary key, in the
    caller's unit of work: a key missing for one row leaves every row as it was."""
    credentials = await repository.all_locked(session)
    rotated = sum(reseal(credential, cipher) for credential in credentials)
    channels = await notifications.channels_locked(session)
    channels_rotated = sum(reseal_channel(channel, cipher) for channel in channels)
    await session.flush()
    return Rotation(
        rotated=rotated,
        already_on_primary=len(credentials) - rotated,
        channels_rotated=channels_rotated,
        channels_already_on_primary=len(channels) - channels_rotated,
    )
