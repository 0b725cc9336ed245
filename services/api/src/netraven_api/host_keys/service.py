"""Admins' decisions on devices' SSH host keys: accept an offered key, pin one, clear the pin, or
pin many from a known_hosts file. Each returns what the audit line needs: the device and the
fingerprint it replaced."""

import ipaddress
from dataclasses import dataclass
from uuid import UUID

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Device
from netraven_shared.errors import Conflict, InvalidInput
from netraven_shared.host_keys import (
    HostKey,
    HostKeyStatus,
    InvalidHostKey,
    known_hosts_name,
    parse_known_hosts,
)
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.devices.service import get_device
from netraven_api.host_keys import repository
from netraven_api.host_keys.schemas import KnownHostsReport, PinnedDevice

# When known_hosts lists several keys for one device (ssh-keyscan writes one per type), the one
# pinned.
KEY_TYPE_PREFERENCE = (
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "rsa-sha2-512",
    "rsa-sha2-256",
    "ssh-rsa",
)


@dataclass(frozen=True)
class Decision:
    device: Device
    previous_fingerprint: str | None


def pin(device: Device, key: HostKey, by: str) -> Decision:
    """Trust `key` from now on; an offered key is forgotten (it was either this one or is
    superseded)."""
    decision = Decision(device, device.host_key_fingerprint)
    device.host_key_status = HostKeyStatus.PINNED.value
    device.host_key_type, device.host_key_public, device.host_key_fingerprint = (
        key.key_type,
        key.public_key,
        key.fingerprint,
    )
    device.host_key_pinned_at, device.host_key_pinned_by = utc_now(), by
    _forget_offer(device)
    return decision


def _forget_offer(device: Device) -> None:
    device.offered_host_key_type = device.offered_host_key_public = (
        device.offered_host_key_fingerprint
    ) = None
    device.offered_host_key_at = None


async def accept_offered(
    session: AsyncSession, device_id: UUID, fingerprint: str, by: str
) -> Decision:
    device = await get_device(session, device_id, for_update=True)
    offered = device.offered_host_key_fingerprint
    if offered is None:
        raise Conflict(
            f"{device.hostname} offers no key to accept: reload to see its current host key"
        )
    if offered != fingerprint:
        raise Conflict(
            f"the device offered another key since: reload ({device.hostname} now offers {offered})"
        )
    key = HostKey(key_type=device.offered_host_key_type, public_key=device.offered_host_key_public)
    decision = pin(device, key, by)
    await session.flush()
    return decision


async def pin_key(
    session: AsyncSession, device_id: UUID, public_key: str, by: str
) -> tuple[Decision, HostKey]:
    key = _parsed(public_key)
    decision = pin(await get_device(session, device_id, for_update=True), key, by)
    await session.flush()
    return decision, key


def _parsed(public_key: str) -> HostKey:
    try:
        return HostKey.parse(public_key)
    except InvalidHostKey as error:
        raise InvalidInput(str(error)) from None


async def clear_key(session: AsyncSession, device_id: UUID) -> Decision:
    device = await get_device(session, device_id, for_update=True)
    decision = Decision(device, device.host_key_fingerprint)
    device.host_key_status = HostKeyStatus.NONE.value
    device.host_key_type = device.host_key_public = device.host_key_fingerprint = None
    device.host_key_pinned_at = device.host_key_pinned_by = None
    _forget_offer(device)
    await session.flush()
    return decision


def _normalised(pattern: str) -> tuple[str, int]:
    """(host, port) of a known_hosts pattern: `[host]:port` or a bare host on 22; addresses in
    canonical form."""
    host, port = pattern, 22
    if pattern.startswith("[") and "]:" in pattern:
        host, _, port_text = pattern[1:].partition("]:")
        port = int(port_text) if port_text.isdigit() else -1
    try:
        return str(ipaddress.ip_address(host)), port
    except ValueError:
        return host.lower(), port


def _preference(key: HostKey) -> int:
    return (
        KEY_TYPE_PREFERENCE.index(key.key_type)
        if key.key_type in KEY_TYPE_PREFERENCE
        else len(KEY_TYPE_PREFERENCE)
    )


async def pin_known_hosts(
    session: AsyncSession, text: str, by: str
) -> tuple[KnownHostsReport, list[Decision]]:
    """Pin, for every device a line names (hostname, address, `[address]:port`), that line's key."""
    try:
        entries = parse_known_hosts(text)
    except InvalidHostKey as error:
        raise InvalidInput(f"{error}: fix the known_hosts file and send it again") from None
    patterns = {pattern: _normalised(pattern) for hosts, _ in entries for pattern in hosts}
    devices = await repository.devices_named(session, {host for host, _ in patterns.values()})
    by_name: dict[str, list[Device]] = {}
    for device in devices:
        for name in {
            known_hosts_name(device.hostname.lower(), device.port),
            known_hosts_name(device.ip_address, device.port),
        }:
            by_name.setdefault(name, []).append(device)
    chosen: dict[UUID, tuple[Device, HostKey]] = {}
    matched: set[str] = set()
    for patterns_of_line, key in entries:
        for pattern in patterns_of_line:
            for device in by_name.get(known_hosts_name(*patterns[pattern]), []):
                matched.add(pattern)
                if device.id not in chosen or _preference(key) < _preference(chosen[device.id][1]):
                    chosen[device.id] = (device, key)
    decisions = [
        pin(device, key, by)
        for device, key in sorted(chosen.values(), key=lambda pair: pair[0].hostname)
    ]
    await session.flush()
    report = KnownHostsReport(
        pinned=[
            PinnedDevice(
                device_id=d.device.id,
                hostname=d.device.hostname,
                fingerprint=d.device.host_key_fingerprint,
            )
            for d in decisions
        ],
        unmatched=list(dict.fromkeys(p for p in patterns if p not in matched)),
    )
    return report, decisions
