"""A channel's target as an admin gives it: checked before it is stored, and the one part that may
be shown (`target_display`).

Apprise's own parser decides what an Apprise URL is, so every service it supports is accepted and a
typo'd scheme is refused at once rather than at the first notification.
"""

import ipaddress
import logging
from urllib.parse import SplitResult, urlsplit

from apprise import Apprise
from apprise.manager_plugins import NotificationManager
from netraven_shared.errors import InvalidInput

# Apprise logs the URLs it cannot load, tokens and passwords included.
logging.getLogger("apprise").disabled = True

WEBHOOK_SCHEMES = ("http", "https")


def check_target(kind: str, url: str) -> None:
    """`InvalidInput` (422) naming `url` when it is not a target of this kind."""
    if kind == "webhook":
        _check_webhook(url)
    else:
        _check_apprise(url)


def _split(url: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (parses the port, refusing one out of range)
    except ValueError as error:
        raise InvalidInput(f"url: not a URL: {error}") from None
    return parts


def _check_webhook(url: str) -> None:
    parts = _split(url)
    if parts.scheme not in WEBHOOK_SCHEMES or not parts.hostname:
        raise InvalidInput("url: a webhook's URL is http:// or https:// with a host")


def _check_apprise(url: str) -> None:
    scheme = _split(url).scheme.lower()
    if not scheme:
        raise InvalidInput("url: an Apprise URL starts with its service's scheme, e.g. slack://")
    if scheme not in NotificationManager():
        raise InvalidInput(f"url: '{scheme}://' is not a scheme Apprise knows")
    if Apprise.instantiate(url, suppress_exceptions=True) is None:
        raise InvalidInput(
            f"url: not a valid {scheme}:// URL for Apprise: check its parts against the "
            "service's page in the Apprise wiki"
        )


def target_display(url: str) -> str:
    """The scheme, and the host when it is a host name or address: in many Apprise URLs the host
    part is a token (slack://T1/…, tgram://bot-token/…), so anything else is left out."""
    parts = _split(url)
    host = parts.hostname or ""
    shown = host if _looks_like_a_host(host) else ""
    port = parts.port if shown else None
    return f"{parts.scheme.lower()}://{shown}{f':{port}' if port else ''}"[:255]


def _looks_like_a_host(host: str) -> bool:
    if host == "localhost" or "." in host and not host.replace(".", "").isdigit():
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
