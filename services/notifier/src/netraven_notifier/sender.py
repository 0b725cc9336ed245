"""Sending one notification through one channel, with retries: `attempts` tries, waiting
`backoff`, then twice that, ... (at most 30 s) between them. What it returns is the outcome, never
an exception: a channel that is down must not stop the notifier."""

import asyncio
from dataclasses import dataclass

import httpx
from prometheus_client import Counter

from netraven_notifier import apprise_sender, webhook
from netraven_notifier.channels import Channel
from netraven_notifier.notification import Notification

MAX_BACKOFF_SECONDS = 30.0
NOTIFICATIONS = Counter(
    "netraven_notifications",
    "Notifications sent, by outcome (delivered, failed: after every attempt) and channel kind",
    ["outcome", "channel_kind"],
)


@dataclass(frozen=True)
class Outcome:
    attempts: int
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.error is None


class Sender:
    def __init__(self, attempts: int, backoff_seconds: float, timeout_seconds: float) -> None:
        self._attempts = attempts
        self._backoff = backoff_seconds
        self._client = httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False)

    async def close(self) -> None:
        await self._client.aclose()

    async def send(
        self, channel: Channel, notification: Notification, attempts: int | None = None
    ) -> Outcome:
        """`attempts` overrides the configured number (a test message is tried once: the admin
        waiting for it gets the channel's answer within the api's wait)."""
        outcome = await self._send_with_retries(channel, notification, attempts or self._attempts)
        NOTIFICATIONS.labels("delivered" if outcome.delivered else "failed", channel.kind).inc()
        return outcome

    async def _send_with_retries(
        self, channel: Channel, notification: Notification, attempts: int
    ) -> Outcome:
        error = ""
        for attempt in range(1, attempts + 1):
            try:
                await self._send_once(channel, notification)
                return Outcome(attempts=attempt)
            except (webhook.WebhookRefused, apprise_sender.AppriseRefused) as refused:
                error = str(refused)
            except Exception as unexpected:  # noqa: BLE001  a channel must never stop the notifier
                # its text may quote the URL, which may hold a token: name the failure only
                error = f"could not send ({type(unexpected).__name__})"
            if attempt < attempts:
                await asyncio.sleep(min(MAX_BACKOFF_SECONDS, self._backoff * 2 ** (attempt - 1)))
        return Outcome(attempts=attempts, error=error)

    async def _send_once(self, channel: Channel, notification: Notification) -> None:
        if channel.kind == "webhook":
            await webhook.post(self._client, channel.target, notification, channel.hmac_secret)
        else:
            await apprise_sender.send(channel.target, notification)
