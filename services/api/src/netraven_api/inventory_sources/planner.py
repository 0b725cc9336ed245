"""What a sync would do, worked out without touching anything (the dry run is this plan).

A source owns, on the devices it brought: the hostname, the address, the platform, and the tags
named `source:<name>`, `site:<slug>`, `role:<slug>` and `tag:<slug>` (which of the last three is
set per source). Any other tag an operator adds stays. The credential tag is added, never removed.
Devices not from the source are never touched: one with a name the source brings is a clash,
reported and skipped.
"""

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from netraven_shared.db.models import Device, InventorySource

from netraven_api.inventory_sources.reader import SourceDevice

OWNED_TAG_PREFIXES = ("source:", "site:", "role:", "tag:")
TAG_MAX_CHARS = 100
HOSTNAME_MAX_CHARS = 255


@dataclass(frozen=True)
class Wanted:
    """A device as the source says it should be."""

    external_id: str
    hostname: str
    ip_address: str
    device_type: str
    tags: list[str]


@dataclass(frozen=True)
class Change:
    device_id: UUID
    wanted: Wanted
    fields: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Skip:
    external_id: str
    name: str | None
    reason: str


@dataclass
class Plan:
    adopt: list[Wanted] = field(default_factory=list)
    update: list[Change] = field(default_factory=list)
    orphan: list[Device] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    unchanged: int = 0


def source_tag(source: InventorySource) -> str:
    return f"source:{source.name}"[:TAG_MAX_CHARS]


def owned_tags(source: InventorySource, found: SourceDevice) -> list[str]:
    fields = set(source.tag_fields)
    tags = {source_tag(source)}
    if "site" in fields and found.site:
        tags.add(f"site:{found.site}")
    if "role" in fields and found.role:
        tags.add(f"role:{found.role}")
    if "tags" in fields:
        tags.update(f"tag:{tag}" for tag in found.tags)
    return sorted(tag[:TAG_MAX_CHARS] for tag in tags)


def device_tags_after(
    source: InventorySource, current: Iterable[str], owned: list[str]
) -> list[str]:
    kept = {tag for tag in current if not tag.startswith(OWNED_TAG_PREFIXES)}
    if source.credential_tag:
        kept.add(source.credential_tag)
    return sorted(kept | set(owned))


def _wanted(
    source: InventorySource,
    found: SourceDevice,
    platforms: set[str],
    admits: Callable[[str], bool],
) -> Wanted | Skip:
    def skip(reason: str) -> Skip:
        return Skip(external_id=found.external_id, name=found.name, reason=reason)

    if not found.name or len(found.name) > HOSTNAME_MAX_CHARS or not found.name.isprintable():
        return skip("no usable name")
    if not found.address:
        return skip("no primary IP address")
    try:
        address = str(ipaddress.ip_address(found.address))
    except ValueError:
        return skip(f"primary IP '{found.address}' is not an IP address")
    if not admits(address):
        return skip(f"{address} is outside the management networks")
    device_type = source.platform_map.get(found.platform or "") or source.default_platform
    if device_type is None:
        return skip(f"platform '{found.platform or 'none'}' is not mapped and there is no default")
    if device_type not in platforms:
        return skip(f"platform '{device_type}' has no driver")
    tags = owned_tags(source, found)
    if source.credential_tag:
        tags = sorted({*tags, source.credential_tag})
    return Wanted(found.external_id, found.name, address, device_type, tags)


def _diff(device: Device, wanted: Wanted, source: InventorySource) -> dict[str, dict[str, Any]]:
    current_tags = sorted(tag.name for tag in device.tags)
    after: dict[str, Any] = {
        "hostname": wanted.hostname,
        "ip_address": wanted.ip_address,
        "device_type": wanted.device_type,
        "tags": device_tags_after(source, current_tags, wanted.tags),
    }
    before: dict[str, Any] = {
        "hostname": device.hostname,
        "ip_address": device.ip_address,
        "device_type": device.device_type,
        "tags": current_tags,
    }
    fields: dict[str, dict[str, Any]] = {
        name: {"from": before[name], "to": value}
        for name, value in after.items()
        if before[name] != value
    }
    if device.orphaned_at is not None:
        fields["orphaned"] = {"from": True, "to": False}
    return fields


def plan_sync(
    source: InventorySource,
    found: list[SourceDevice],
    ours: list[Device],
    hostname_owners: dict[str, Device],
    platforms: set[str],
    admits: Callable[[str], bool],
) -> Plan:
    """`ours`: the devices from this source; `hostname_owners`: any device by hostname;
    `platforms`: those with a driver; `admits`: whether an address is inside the management
    networks."""
    plan = Plan()
    by_external_id = {device.external_id: device for device in ours}
    claimed: set[str] = set()
    seen: set[str] = set()
    for item in found:
        wanted = _wanted(source, item, platforms, admits)
        if isinstance(wanted, Skip):
            plan.skipped.append(wanted)
            continue
        owner = hostname_owners.get(wanted.hostname)
        device = by_external_id.get(wanted.external_id)
        if wanted.hostname in claimed or (owner is not None and owner is not device):
            plan.skipped.append(Skip(wanted.external_id, wanted.hostname, _clash(owner, source)))
            if device is not None:
                seen.add(wanted.external_id)
            continue
        claimed.add(wanted.hostname)
        seen.add(wanted.external_id)
        if device is None:
            plan.adopt.append(wanted)
            continue
        fields = _diff(device, wanted, source)
        if fields:
            plan.update.append(Change(device.id, wanted, fields))
        else:
            plan.unchanged += 1
    plan.orphan = [
        device for device in ours if device.external_id not in seen and device.orphaned_at is None
    ]
    return plan


def _clash(owner: Device | None, source: InventorySource) -> str:
    if owner is None:
        return "another device of this source has the same name"
    if owner.source_id is None:
        return f"name clash: a device named '{owner.hostname}' was added by hand; left untouched"
    if owner.source_id != source.id:
        return f"name clash: '{owner.hostname}' belongs to another inventory source"
    return f"name clash: '{owner.hostname}' is another device of this source"
