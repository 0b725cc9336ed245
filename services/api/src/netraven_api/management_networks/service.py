"""Management networks: the only networks devices may live in, once an admin defines any.

An empty list enforces nothing (any address is allowed): a fresh install works before anyone thinks
of networks, and the dashboard warns admins. The api refuses devices outside the list (create,
update, import, reachability check); the worker sends no credential outside it.
"""

import ipaddress
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from netraven_shared.db.base import utc_now
from netraven_shared.errors import InvalidInput
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.devices.address import is_ip_address
from netraven_api.errors import InvalidInputWithFields
from netraven_api.management_networks import repository
from netraven_api.management_networks.schemas import (
    DeviceOutside,
    ManagementNetworkIn,
    ManagementNetworkOut,
    ManagementNetworksOut,
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class OutsideManagementNetworks(InvalidInputWithFields):
    def __init__(self, addresses: list[str], networks: list[str]) -> None:
        one = len(addresses) == 1
        listed = ", ".join(addresses[:10]) + (
            f" and {len(addresses) - 10} more" if len(addresses) > 10 else ""
        )
        message = (
            f"{listed} {'is' if one else 'are'} outside the management networks "
            f"({', '.join(networks)}): an admin must add "
            f"{'its network' if one else 'their networks'} first"
        )
        super().__init__(message, message, management_networks=networks)


@dataclass(frozen=True)
class ManagementNetworks:
    networks: list[Network]

    @property
    def enforced(self) -> bool:
        return bool(self.networks)

    def admits(self, address: str) -> bool:
        """A DNS name is admitted here: what it resolves to can change, so the worker tests the
        resolved address at each session."""
        if not self.enforced or not is_ip_address(address):
            return True
        ip = ipaddress.ip_address(address)
        return any(ip in network for network in self.networks)

    def refuse_outside(self, addresses: list[str]) -> None:
        """Raise `OutsideManagementNetworks` (422) naming the addresses no network admits."""
        outside = [address for address in addresses if not self.admits(address)]
        if outside:
            raise OutsideManagementNetworks(outside, [str(network) for network in self.networks])


async def management_networks(session: AsyncSession) -> ManagementNetworks:
    return ManagementNetworks(
        [ipaddress.ip_network(row.cidr) for row in await repository.list_networks(session)]
    )


async def require_inside(session: AsyncSession, address: str) -> None:
    """Refuse (422) an address outside the management networks, when any are defined."""
    (await management_networks(session)).refuse_outside([address])


def parse_network(cidr: str) -> Network:
    try:
        return ipaddress.ip_network(cidr.strip(), strict=True)
    except ValueError as error:
        loose = _loose_network(cidr)
        if loose is not None:
            raise InvalidInput(f"{cidr} has host bits set: did you mean {loose}?") from None
        raise InvalidInput(
            f"{cidr} is not a network: write it as 10.0.0.0/8 or 2001:db8::/32 ({error})"
        ) from None


def _loose_network(cidr: str) -> Network | None:
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return None


async def describe(session: AsyncSession) -> ManagementNetworksOut:
    rows = await repository.list_networks(session)
    outside = await repository.devices_outside(session)
    return ManagementNetworksOut(
        networks=[
            ManagementNetworkOut(
                id=r.id, cidr=str(r.cidr), description=r.description, created_at=r.created_at
            )
            for r in rows
        ],
        enforced=bool(rows),
        devices_outside=[
            DeviceOutside(id=d.id, hostname=d.hostname, ip_address=d.ip_address) for d in outside
        ],
    )


async def replace(session: AsyncSession, networks: list[ManagementNetworkIn]) -> list[str]:
    """Replace the list; the networks as stored (normalised)."""
    parsed: list[dict[str, Any]] = []
    seen: set[Network] = set()
    for entry in networks:
        network = parse_network(entry.cidr)
        if network in seen:
            raise InvalidInput(f"{network} is listed twice")
        seen.add(network)
        parsed.append(
            {
                "id": uuid4(),
                "cidr": str(network),
                "description": entry.description,
                "created_at": utc_now(),
            }
        )
    await repository.replace_networks(session, parsed)
    return [row["cidr"] for row in parsed]
