"""NETRAVEN_NOTIFY_URLS: channels a deployment declares in its environment, made real at api start.

Each Apprise URL becomes one channel (`from_environment`, read-only in the api) named after its
scheme (`env-slack-1`, `env-mailto-1`, ...) with one rule for every event kind at or above
NETRAVEN_NOTIFY_MIN_SEVERITY. A URL still listed keeps its channel (and so its name and delivery
log) across restarts; a URL no longer listed loses its channel. Api replicas that start together
take turns (an advisory lock), so each URL gets one channel.
"""

import re

import structlog
from netraven_shared.crypto import CredentialCipher, MissingCredentialKey, credential_cipher
from netraven_shared.db.models import NotificationChannel, NotificationRule
from netraven_shared.db.models.notification import EVENT_KINDS
from netraven_shared.errors import InvalidInput
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.config import ApiSettings
from netraven_api.notifications import repository
from netraven_api.notifications.targets import check_target, target_display
from netraven_api.unit_of_work import unit_of_work

log = structlog.get_logger()


class EnvironmentSync(BaseModel):
    kept: int
    added: int
    removed: int


async def apply_notify_urls(
    sessions: async_sessionmaker[AsyncSession], settings: ApiSettings
) -> EnvironmentSync:
    """At api start: the channels and rules of NETRAVEN_NOTIFY_URLS, in one transaction."""
    urls = notify_urls(settings.notify_urls.get_secret_value())
    check_notify_urls(urls)
    async with unit_of_work(sessions) as work:
        return await sync_environment_channels(
            work.session, urls, settings.notify_min_severity, credential_cipher(settings)
        )


def notify_urls(setting: str) -> list[str]:
    """The URLs of the setting (comma or newline separated), each once, in order."""
    urls = [url.strip() for url in re.split(r"[,\n]", setting)]
    return list(dict.fromkeys(url for url in urls if url))


def check_notify_urls(urls: list[str]) -> None:
    """Refuses the setting (the api does not start) when one URL is not an Apprise URL; the
    message gives its position, never the URL."""
    for position, url in enumerate(urls, start=1):
        try:
            check_target("apprise", url)
        except InvalidInput as error:
            reason = error.message.removeprefix("url: ")
            raise ValueError(f"NETRAVEN_NOTIFY_URLS, URL {position}: {reason}") from None


async def sync_environment_channels(
    session: AsyncSession, urls: list[str], min_severity: str, cipher: CredentialCipher
) -> EnvironmentSync:
    await repository.lock_environment_sync(session)
    existing = await repository.environment_channels(session)
    by_url: dict[str, NotificationChannel] = {}
    for channel in existing:
        url = _target_of(channel, cipher)
        if url in urls and url not in by_url:
            by_url[url] = channel
        else:
            await session.delete(channel)
    await session.flush()
    kept = len(by_url)
    for url in urls:
        if url not in by_url:
            by_url[url] = await _new_channel(session, url, cipher)
    for channel in by_url.values():
        await _ensure_rule(session, channel, min_severity)
    await session.flush()
    sync = EnvironmentSync(kept=kept, added=len(urls) - kept, removed=len(existing) - kept)
    log.info("notifications.environment_synced", **sync.model_dump())
    return sync


def _target_of(channel: NotificationChannel, cipher: CredentialCipher) -> str | None:
    try:
        return cipher.decrypt(
            channel.target_encrypted,
            key_id=channel.key_id,
            credential=f"notification channel {channel.name}",
        )
    except MissingCredentialKey:
        return None


async def _new_channel(
    session: AsyncSession, url: str, cipher: CredentialCipher
) -> NotificationChannel:
    scheme = url.split("://", 1)[0].lower()
    number = 1
    while await _name_taken(session, name := f"env-{scheme}-{number}"):
        number += 1
    channel = NotificationChannel(
        name=name,
        kind="apprise",
        target_encrypted=cipher.encrypt(url),
        target_display=target_display(url),
        key_id=cipher.primary_key_id,
        from_environment=True,
    )
    session.add(channel)
    await session.flush()
    return channel


async def _name_taken(session: AsyncSession, name: str) -> bool:
    """Its channel and its rule share the name; neither may be taken."""
    return await repository.channel_name_taken(session, name) or await repository.rule_name_taken(
        session, name
    )


async def _ensure_rule(session: AsyncSession, channel: NotificationChannel, severity: str) -> None:
    rule = await repository.rule_of_channel(session, channel.id)
    if rule is None:
        rule = NotificationRule(name=channel.name, channel_id=channel.id, tags=[])
        session.add(rule)
    rule.event_kinds = list(EVENT_KINDS)
    rule.min_severity = severity
    rule.enabled = True
