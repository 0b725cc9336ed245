"""Read a source's devices: NetBox through pynetbox, Nautobot 2.x through pynautobot.

Both clients follow the `next` links of the paginated `/api/dcim/devices/` list; they are blocking
(requests), so a read runs in a thread. Each device is reduced to the fields a sync uses
(`SourceDevice`). Nautobot 2.x nests related objects as bare ids unless asked for `depth=1`, has no
slugs (names instead) and calls a site a location; NetBox 3.x calls the role `device_role`.
"""

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pynautobot
import pynetbox
import requests
from netraven_shared.errors import NetRavenError

PAGE_SIZE = 200
TIMEOUT_SECONDS = 30
# The filters an operator sets, by the name each kind's device list takes them.
FILTER_PARAMETERS = {
    "netbox": {"site": "site", "role": "role", "tag": "tag", "status": "status"},
    "nautobot": {"site": "location", "role": "role", "tag": "tag", "status": "status"},
}


class SourceFailed(NetRavenError):
    """The source refused or did not answer (a bad token, a wrong URL, TLS): 502, naming it."""

    status = 502


@dataclass(frozen=True)
class SourceDevice:
    external_id: str
    name: str | None
    address: str | None
    platform: str | None
    site: str | None
    role: str | None
    status: str | None
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Connection:
    name: str
    kind: str
    url: str
    token: str
    verify_tls: bool
    filters: Mapping[str, list[str]]


async def read_devices(connection: Connection) -> list[SourceDevice]:
    return await asyncio.to_thread(_read, connection)


def _read(connection: Connection) -> list[SourceDevice]:
    parameters = FILTER_PARAMETERS[connection.kind]
    filters: dict[str, Any] = {
        parameters[key]: values for key, values in connection.filters.items() if values
    }
    try:
        if connection.kind == "netbox":
            return [_netbox_device(dict(record)) for record in _netbox_records(connection, filters)]
        return [_nautobot_device(dict(record)) for record in _nautobot_records(connection, filters)]
    except (pynetbox.RequestError, pynautobot.RequestError) as error:
        raise SourceFailed(_refusal(connection, error.req.status_code)) from None
    except requests.RequestException as error:
        raise SourceFailed(
            f"inventory source '{connection.name}' ({connection.url}) did not answer: "
            f"{type(error).__name__}"
        ) from None


class _BoundedSession(requests.Session):
    """Neither client sets a timeout: a source that accepts and never answers must not hang a
    sync."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


def _session(connection: Connection) -> requests.Session:
    session = _BoundedSession()
    session.verify = connection.verify_tls
    return session


def _netbox_records(connection: Connection, filters: dict[str, Any]) -> Iterable[Any]:
    api = pynetbox.api(connection.url, token=connection.token)
    api.http_session = _session(connection)
    devices = api.dcim.devices
    return list(devices.filter(**filters, limit=PAGE_SIZE) if filters else devices.all(PAGE_SIZE))


def _nautobot_records(connection: Connection, filters: dict[str, Any]) -> Iterable[Any]:
    api = pynautobot.api(connection.url, token=connection.token)
    api.http_session = _session(connection)
    return list(api.dcim.devices.filter(**filters, depth=1, limit=PAGE_SIZE))


def _refusal(connection: Connection, status: int) -> str:
    why = {
        401: "refused the token (401)",
        403: "refused the token (403): check it and its permissions",
        404: "has no device list at this URL (404)",
    }.get(status, f"answered HTTP {status}")
    return f"inventory source '{connection.name}' ({connection.url}) {why}"


def _netbox_device(record: dict[str, Any]) -> SourceDevice:
    return SourceDevice(
        external_id=str(record["id"]),
        name=record.get("name"),
        address=_address(record),
        platform=_nested(record, "platform", "slug"),
        site=_nested(record, "site", "slug"),
        role=_nested(record, "role", "slug") or _nested(record, "device_role", "slug"),
        status=_nested(record, "status", "value"),
        tags=sorted(tag["slug"] for tag in record.get("tags") or []),
    )


def _nautobot_device(record: dict[str, Any]) -> SourceDevice:
    return SourceDevice(
        external_id=str(record["id"]),
        name=record.get("name"),
        address=_address(record),
        platform=_nested(record, "platform", "name"),
        site=_nested(record, "location", "name"),
        role=_nested(record, "role", "name"),
        status=_nested(record, "status", "name"),
        tags=sorted(tag["name"] for tag in record.get("tags") or []),
    )


def _nested(record: dict[str, Any], key: str, attribute: str) -> str | None:
    value = record.get(key)
    return value.get(attribute) if isinstance(value, dict) else None


def _address(record: dict[str, Any]) -> str | None:
    """The primary IPv4 address (else the primary address) without its prefix length."""
    for key in ("primary_ip4", "primary_ip", "primary_ip6"):
        address = _nested(record, key, "address")
        if address:
            return address.split("/", 1)[0]
    return None
