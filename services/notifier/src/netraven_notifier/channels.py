"""Channels and rules as the notifier routes by: read from PostgreSQL, the channel's target and
HMAC secret decrypted with the credential key ring, and kept `NETRAVEN_ROUTING_CACHE_SECONDS` (5)
so a busy bus does not read them per event while a change in the api applies within seconds. The
decrypted secrets stay in this process's memory."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

import structlog
from netraven_shared.crypto import CredentialCipher, MissingCredentialKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_notifier import repository
from netraven_notifier.routing import Rule

log = structlog.get_logger()


@dataclass(frozen=True)
class Channel:
    id: UUID
    name: str
    kind: str
    # The Apprise URL or the webhook's URL: secret, never logged nor recorded.
    target: str = field(repr=False)
    hmac_secret: str | None = field(repr=False)
    digest_minutes: int | None
    enabled: bool


@dataclass(frozen=True)
class Routing:
    channels: dict[UUID, Channel]
    rules: list[Rule]


def _channel(row: repository.ChannelRow, cipher: CredentialCipher) -> Channel:
    def decrypted(token: bytes) -> str:
        return cipher.decrypt(token, key_id=row.key_id, credential=f"channel {row.name}")

    return Channel(
        id=row.id,
        name=row.name,
        kind=row.kind,
        target=decrypted(row.target_encrypted),
        hmac_secret=decrypted(row.hmac_secret_encrypted) if row.hmac_secret_encrypted else None,
        digest_minutes=row.digest_minutes,
        enabled=row.enabled,
    )


class ChannelBook:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        cipher: CredentialCipher,
        ttl_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._ttl = ttl_seconds
        self._clock = clock
        self._cached: tuple[float, Routing] | None = None

    async def routing(self) -> Routing:
        now = self._clock()
        if self._cached is not None and now - self._cached[0] < self._ttl:
            return self._cached[1]
        async with self._sessions() as session:
            channel_rows = await repository.channels(session)
            rules = await repository.enabled_rules(session)
        routing = Routing(
            channels={
                row.id: channel
                for row in channel_rows
                if (channel := self._decrypted(row)) is not None
            },
            rules=rules,
        )
        self._cached = (now, routing)
        return routing

    def _decrypted(self, row: repository.ChannelRow) -> Channel | None:
        """The channel, or None (and an error logged) when the key ring lacks its key: the other
        channels keep working."""
        try:
            return _channel(row, self._cipher)
        except MissingCredentialKey as error:
            log.error("notifier.channel_undecryptable", channel=row.name, error=str(error))
            return None

    async def channel(self, channel_id: UUID) -> Channel | None:
        """One channel as it is now (a test message must not wait for the cache)."""
        async with self._sessions() as session:
            row = await repository.channel(session, channel_id)
        return self._decrypted(row) if row else None
