"""Notification channels: where the notifier sends (an Apprise URL, or a webhook signed with
HMAC-SHA256).

The target and the signing key are encrypted with the credential key ring and never returned; a
webhook's key the api generates is shown once, in the create response. Channels made from
NETRAVEN_NOTIFY_URLS (`from_environment`) change only through that setting.
"""

import secrets
from uuid import UUID

from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.models import NotificationChannel
from netraven_shared.errors import Conflict, InvalidInput, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.notifications import repository
from netraven_api.notifications.schemas import (
    ChannelCreate,
    ChannelCreated,
    ChannelOut,
    ChannelUpdate,
)
from netraven_api.notifications.targets import check_target, target_display

GENERATED_SECRET_BYTES = 32


def channel_out(channel: NotificationChannel) -> ChannelOut:
    return ChannelOut(
        id=channel.id,
        name=channel.name,
        kind=channel.kind,
        target_display=channel.target_display,
        has_hmac_secret=channel.hmac_secret_encrypted is not None,
        digest_minutes=channel.digest_minutes,
        enabled=channel.enabled,
        from_environment=channel.from_environment,
        created_at=channel.created_at,
    )


def channel_created(channel: NotificationChannel, generated_secret: str | None) -> ChannelCreated:
    return ChannelCreated(**channel_out(channel).model_dump(), hmac_secret=generated_secret)


async def list_channels(session: AsyncSession) -> list[NotificationChannel]:
    return await repository.list_channels(session)


async def get_channel(session: AsyncSession, channel_id: UUID) -> NotificationChannel:
    channel = await repository.get_channel(session, channel_id)
    if channel is None:
        raise NotFound(f"no notification channel with id {channel_id}")
    return channel


def refuse_environment(channel: NotificationChannel) -> None:
    if channel.from_environment:
        raise Conflict(
            f"the channel '{channel.name}' comes from NETRAVEN_NOTIFY_URLS: change that setting "
            "and restart the api to change or remove it"
        )


async def _refuse_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> None:
    if await repository.channel_name_taken(session, name, except_id):
        raise Conflict(f"a notification channel named '{name}' already exists")


def seal_target(channel: NotificationChannel, cipher: CredentialCipher, url: str) -> None:
    check_target(channel.kind, url)
    channel.target_encrypted = cipher.encrypt(url)
    channel.target_display = target_display(url)


async def create_channel(
    session: AsyncSession, data: ChannelCreate, cipher: CredentialCipher
) -> tuple[NotificationChannel, str | None]:
    """The channel, and the webhook signing key when the api generated it (to show once)."""
    if data.kind != "webhook" and data.hmac_secret is not None:
        raise InvalidInput("hmac_secret: only webhook channels are signed")
    await _refuse_taken(session, data.name)
    generated = (
        secrets.token_urlsafe(GENERATED_SECRET_BYTES)
        if data.kind == "webhook" and data.hmac_secret is None
        else None
    )
    signing_key = data.hmac_secret or generated
    channel = NotificationChannel(
        name=data.name,
        kind=data.kind,
        key_id=cipher.primary_key_id,
        hmac_secret_encrypted=cipher.encrypt(signing_key) if signing_key else None,
        digest_minutes=data.digest_minutes,
        enabled=data.enabled,
    )
    seal_target(channel, cipher, data.url)
    session.add(channel)
    await session.flush()
    return channel, generated


async def update_channel(
    session: AsyncSession, channel_id: UUID, data: ChannelUpdate, cipher: CredentialCipher
) -> NotificationChannel:
    channel = await get_channel(session, channel_id)
    refuse_environment(channel)
    sent = data.model_fields_set
    if data.hmac_secret is not None and channel.kind != "webhook":
        raise InvalidInput("hmac_secret: only webhook channels are signed")
    if data.name is not None and data.name != channel.name:
        await _refuse_taken(session, data.name, except_id=channel.id)
        channel.name = data.name
    if data.url is not None or data.hmac_secret is not None:
        _reseal_other_secret(channel, cipher, keep_target=data.url is None)
        if data.url is not None:
            seal_target(channel, cipher, data.url)
        if data.hmac_secret is not None:
            channel.hmac_secret_encrypted = cipher.encrypt(data.hmac_secret)
    if "digest_minutes" in sent:
        channel.digest_minutes = data.digest_minutes
    if data.enabled is not None:
        channel.enabled = data.enabled
    await session.flush()
    return channel


def _reseal_other_secret(
    channel: NotificationChannel, cipher: CredentialCipher, *, keep_target: bool
) -> None:
    """One key id seals both secrets of a row: before one is encrypted anew with the primary key,
    the one kept is moved onto it too."""
    if channel.key_id == cipher.primary_key_id:
        return
    sealed_with = {"key_id": channel.key_id, "credential": f"notification channel {channel.name}"}
    if keep_target:
        channel.target_encrypted = cipher.reencrypt(channel.target_encrypted, **sealed_with)
    elif channel.hmac_secret_encrypted is not None:
        channel.hmac_secret_encrypted = cipher.reencrypt(
            channel.hmac_secret_encrypted, **sealed_with
        )
    channel.key_id = cipher.primary_key_id


async def delete_channel(session: AsyncSession, channel_id: UUID) -> str:
    """Delete it (its rules and delivery log go with it) and return its name."""
    channel = await get_channel(session, channel_id)
    refuse_environment(channel)
    await session.delete(channel)
    await session.flush()
    return channel.name
