"""The generic webhook: the notification as JSON, POSTed and signed.

The signature is HMAC-SHA256 of the raw request body with the channel's secret, sent as
`X-NetRaven-Signature: sha256=<hex>`; `X-NetRaven-Event` names the kind and
`X-NetRaven-Timestamp` the time of sending (Unix seconds, also in the body as `sent_at`, so it is
signed). A receiver recomputes the HMAC over the bytes it received, compares in constant time, and
may refuse a `sent_at` too old to be fresh (docs/notifications.md).
"""

import hashlib
import hmac
import json
import time
from typing import Any

import httpx

from netraven_notifier.notification import Notification

SIGNATURE_HEADER = "X-NetRaven-Signature"
EVENT_HEADER = "X-NetRaven-Event"
TIMESTAMP_HEADER = "X-NetRaven-Timestamp"


class WebhookRefused(Exception):
    pass


def payload(notification: Notification, sent_at: int) -> dict[str, Any]:
    return {
        "event": notification.kind,
        "event_id": str(notification.event_id),
        "severity": notification.severity,
        "title": notification.title,
        "body": notification.text,
        "occurred_at": notification.occurred_at.isoformat(),
        "sent_at": sent_at,
        **notification.details,
    }


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed_request(notification: Notification, secret: str | None) -> tuple[bytes, dict[str, str]]:
    """The body and the headers of one POST."""
    sent_at = int(time.time())
    body = json.dumps(payload(notification, sent_at), separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        EVENT_HEADER: notification.kind,
        TIMESTAMP_HEADER: str(sent_at),
    }
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, body)
    return body, headers


async def post(
    client: httpx.AsyncClient, url: str, notification: Notification, secret: str | None
) -> None:
    body, headers = signed_request(notification, secret)
    try:
        response = await client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        # the error's text may hold the URL, which may hold a token: name the failure only
        raise WebhookRefused(f"webhook unreachable ({type(error).__name__})") from None
    if response.status_code >= 300:
        raise WebhookRefused(
            f"webhook answered {response.status_code} {response.reason_phrase}".strip()
        )
