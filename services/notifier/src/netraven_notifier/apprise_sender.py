"""Apprise channels: any Apprise URL (Slack, Teams, e-mail, Mattermost, Telegram, ...). Apprise
sends synchronously, so it runs in a thread, off the event loop."""

import asyncio

import apprise

from netraven_notifier.notification import Notification

_NOTIFY_TYPES = {
    "info": apprise.NotifyType.INFO,
    "warning": apprise.NotifyType.WARNING,
    "critical": apprise.NotifyType.FAILURE,
}


class AppriseRefused(Exception):
    pass


def _send(url: str, notification: Notification) -> None:
    targets = apprise.Apprise()
    if not targets.add(url):
        raise AppriseRefused("the channel's Apprise URL is not one Apprise understands")
    if not targets.notify(
        body=notification.text,
        title=notification.title,
        notify_type=_NOTIFY_TYPES[notification.severity],
    ):
        raise AppriseRefused(
            "Apprise could not deliver (see the notifier's log for the service's answer)"
        )


async def send(url: str, notification: Notification) -> None:
    await asyncio.to_thread(_send, url, notification)
