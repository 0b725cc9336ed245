"""How a device's sessions reach its CLI, checked when it is created or changed: over SSH
(directly or through a jump host), or over Telnet when its platform has a Netmiko Telnet driver.

Telnet sends the password in clear text: it is opt-in per device, goes direct only (a jump host
tunnels SSH sessions), and the worker refuses it when host-key pinning is strict.
"""

from uuid import UUID

from netraven_shared.drivers.catalog import DriverCatalog, UnknownPlatform
from netraven_shared.errors import InvalidInput
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.jump_hosts.service import require_jump_host


async def require_reachable_by(
    session: AsyncSession,
    catalog: DriverCatalog,
    device_type: str,
    transport: str,
    jump_host_id: UUID | None,
) -> None:
    """422 for a jump host that does not exist, Telnet on a platform without a Telnet driver, or
    Telnet through a jump host."""
    if jump_host_id is not None:
        await require_jump_host(session, jump_host_id)
    if transport != "telnet":
        return
    if jump_host_id is not None:
        raise InvalidInput("transport: Telnet goes direct; a jump host tunnels SSH sessions only")
    try:
        spec = catalog.driver_for(device_type)
    except UnknownPlatform:
        return  # the platform check names the supported ones
    if spec.netmiko_telnet_device_type is None:
        raise InvalidInput(
            f"transport: the {device_type} platform has no Telnet driver "
            "(its driver file names no netmiko_telnet_device_type): use ssh"
        )
