"""Bulk import: validate every row, then create all the valid ones in the request's one transaction.

A row may pin its device's SSH host key (`host_key`, pinned by "import"), when an admin imports. An
address outside the management networks refuses the whole import, so the admin adds the network and
imports the same file again.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from netraven_shared.db.models import DEFAULT_TAG
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.errors import InvalidInput
from netraven_shared.host_keys import HostKey, HostKeyStatus, InvalidHostKey
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.devices import repository
from netraven_api.devices.import_reader import Row
from netraven_api.devices.schemas import DeviceImportRow, ImportReport, ImportRowReport
from netraven_api.jump_hosts.repository import list_jump_hosts
from netraven_api.management_networks.service import (
    ManagementNetworks,
    OutsideManagementNetworks,
    management_networks,
)
from netraven_api.platforms.service import platform_names, unsupported_message
from netraven_api.sites.repository import site_ids_by_name
from netraven_api.tags.repository import tag_ids_named

NOT_AN_ADMIN = (
    "host_key: only an admin may pin host keys; "
    "remove the column, or ask an admin to import the file"
)
NO_HOST_KEY = {
    "host_key_status": HostKeyStatus.NONE.value,
    "host_key_type": None,
    "host_key_public": None,
    "host_key_fingerprint": None,
    "host_key_pinned_at": None,
    "host_key_pinned_by": None,
}


def _hostname(raw: Row) -> str | None:
    name = raw.get("hostname") if isinstance(raw, dict) else None
    return name[:255] if isinstance(name, str) else None


@dataclass(frozen=True)
class _Known:
    """What rows are checked against: the platforms (and those with a Telnet driver), the jump
    hosts and the sites by name, and whether the importer may pin host keys."""

    platforms: list[str]
    telnet_platforms: set[str]
    jump_hosts: dict[str, UUID]
    sites: dict[str, UUID]
    may_pin_host_keys: bool


def _reach_problem(device: DeviceImportRow, known: _Known) -> str | None:
    if device.jump_host is not None and device.jump_host not in known.jump_hosts:
        return f"jump_host: no jump host named '{device.jump_host}'"
    if device.transport == "telnet":
        if device.jump_host is not None or device.jump_host_id is not None:
            return "transport: Telnet goes direct; a jump host tunnels SSH sessions only"
        if device.device_type not in known.telnet_platforms:
            return f"transport: the {device.device_type} platform has no Telnet driver: use ssh"
    return None


def _site_problem(device: DeviceImportRow, known: _Known) -> str | None:
    """Why the row's site cannot be; else None, with `site_id` set from the site's name."""
    if device.site is not None:
        if device.site not in known.sites:
            return f"site: no site named '{device.site}'; add it on the Sites page first"
        device.site_id = known.sites[device.site]
    elif device.site_id is not None and device.site_id not in known.sites.values():
        return f"site_id: no site with id {device.site_id}"
    return None


def _validate(raw: Row, known: _Known) -> DeviceImportRow | str:
    """The row as a device to create, or why it cannot be one."""
    platforms, may_pin_host_keys = known.platforms, known.may_pin_host_keys
    if isinstance(raw, str):
        return raw
    try:
        device = DeviceImportRow.model_validate(raw)
    except ValidationError as error:
        problems = error.errors()
        return "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or 'row'}: {e['msg']}" for e in problems
        )
    if device.device_type not in platforms:
        return unsupported_message(device.device_type, platforms)
    if any("\x00" in tag for tag in device.tags):
        return "tags: a tag cannot contain a NUL character"
    if problem := _reach_problem(device, known) or _site_problem(device, known):
        return problem
    if device.jump_host is not None:
        device.jump_host_id = known.jump_hosts[device.jump_host]
    elif device.jump_host_id is not None and device.jump_host_id not in known.jump_hosts.values():
        return f"jump_host_id: no jump host with id {device.jump_host_id}"
    if device.host_key is not None:
        if not may_pin_host_keys:
            return NOT_AN_ADMIN
        try:
            HostKey.parse(device.host_key)
        except InvalidHostKey as error:
            return f"host_key: {error}"
    return device


def _plan(
    checked: list[DeviceImportRow | str], taken: set[str]
) -> tuple[dict[int, str], dict[int, DeviceImportRow]]:
    """Row number → error for the rows that fail, and → device for the rows to create."""
    failed: dict[int, str] = {}
    valid: dict[int, DeviceImportRow] = {}
    first_row: dict[str, int] = {}
    for number, result in enumerate(checked, start=1):
        if isinstance(result, str):
            failed[number] = result
        elif result.hostname in taken:
            failed[number] = f"a device named '{result.hostname}' is already in the inventory"
        elif result.hostname in first_row:
            failed[number] = (
                f"duplicate hostname in the file (first on row {first_row[result.hostname]})"
            )
        else:
            first_row[result.hostname] = number
            valid[number] = result
    return failed, valid


def _host_key_columns(device: DeviceImportRow, now: datetime) -> dict:
    if device.host_key is None:
        return NO_HOST_KEY
    key = HostKey.parse(device.host_key)
    return {
        "host_key_status": HostKeyStatus.PINNED.value,
        "host_key_type": key.key_type,
        "host_key_public": key.public_key,
        "host_key_fingerprint": key.fingerprint,
        "host_key_pinned_at": now,
        "host_key_pinned_by": "import",
    }


async def _create(session: AsyncSession, devices: list[DeviceImportRow]) -> set[str]:
    names = {tag for device in devices for tag in device.tags}
    if any(not device.tags for device in devices):
        names.add(DEFAULT_TAG)
    tag_ids = await tag_ids_named(session, names)
    rows, links, now = [], [], datetime.now(UTC)
    for device in devices:
        row = {
            "id": uuid4(),
            "hostname": device.hostname,
            "ip_address": str(device.ip_address),
            "device_type": device.device_type,
            "port": device.port,
            "timeout_seconds": device.timeout_seconds,
            "legacy_ssh": device.legacy_ssh,
            "transport": device.transport,
            "jump_host_id": device.jump_host_id,
            "site_id": device.site_id,
            "created_at": now,
            **_host_key_columns(device, now),
        }
        rows.append(row)
        links += [
            {"device_id": row["id"], "tag_id": tag_ids[tag]}
            for tag in sorted(set(device.tags) or {DEFAULT_TAG})
        ]
    return await repository.insert_devices(session, rows, links)


def _refuse_outside_networks(
    networks: ManagementNetworks, valid: dict[int, DeviceImportRow]
) -> None:
    outside = [
        f"{d.ip_address} (row {number})"
        for number, d in valid.items()
        if not networks.admits(str(d.ip_address))
    ]
    if outside:
        raise OutsideManagementNetworks(outside, [str(network) for network in networks.networks])


async def import_devices(
    session: AsyncSession, raw_rows: list[Row], catalog: DriverCatalog, may_pin_host_keys: bool
) -> tuple[ImportReport, int]:
    """The report, and how many created devices came with a pinned host key."""
    if not raw_rows:
        raise InvalidInput("there are no device rows to import")
    known = _Known(
        platforms=platform_names(catalog),
        telnet_platforms={
            p.spec.platform for p in catalog.platforms() if p.spec.netmiko_telnet_device_type
        },
        jump_hosts={j.name: j.id for j in await list_jump_hosts(session)},
        sites=await site_ids_by_name(session),
        may_pin_host_keys=may_pin_host_keys,
    )
    checked = [_validate(raw, known) for raw in raw_rows]
    hostnames = sorted({c.hostname for c in checked if isinstance(c, DeviceImportRow)})
    failed, valid = _plan(checked, await repository.hostnames_taken(session, hostnames))
    _refuse_outside_networks(await management_networks(session), valid)
    created = await _create(session, list(valid.values())) if valid else set()
    for number, device in valid.items():
        if device.hostname not in created:
            failed[number] = (
                f"a device named '{device.hostname}' was created by another request meanwhile"
            )
    rows = [
        ImportRowReport(
            row=number,
            hostname=_hostname(raw),
            status="failed" if number in failed else "created",
            error=failed.get(number),
        )
        for number, raw in enumerate(raw_rows, start=1)
    ]
    pinned = sum(
        1
        for number, device in valid.items()
        if number not in failed and device.host_key is not None
    )
    return ImportReport(created=len(rows) - len(failed), failed=len(failed), rows=rows), pinned
