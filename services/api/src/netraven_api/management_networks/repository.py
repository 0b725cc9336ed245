from netraven_shared.db.models import Device, ManagementNetwork
from sqlalchemy import case, cast, delete, exists, or_, select
from sqlalchemy.dialects.postgresql import INET, insert
from sqlalchemy.ext.asyncio import AsyncSession


async def list_networks(session: AsyncSession) -> list[ManagementNetwork]:
    return list(await session.scalars(select(ManagementNetwork).order_by(ManagementNetwork.cidr)))


async def replace_networks(session: AsyncSession, rows: list[dict]) -> None:
    """Keep the networks still listed (and their `created_at`), drop the others, add the new
    ones."""
    await session.execute(
        delete(ManagementNetwork).where(
            ManagementNetwork.cidr.not_in([row["cidr"] for row in rows])
        )
    )
    if rows:
        statement = insert(ManagementNetwork)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=["cidr"], set_={"description": statement.excluded.description}
            ),
            rows,
        )


async def devices_outside(session: AsyncSession) -> list[Device]:
    """Devices whose IP address no network contains (`>>=`: contains or equals); none when no
    network exists. Devices given by DNS name are left out: the worker tests what they resolve
    to."""
    # A DNS name cannot contain ":" and is never all digits and dots (devices/address.py).
    is_ip = or_(Device.ip_address.contains(":"), Device.ip_address.regexp_match(r"^[0-9.]+$"))
    address = case((is_ip, cast(Device.ip_address, INET)))  # evaluated only for addresses
    inside = exists().where(ManagementNetwork.cidr.op(">>=")(address))
    covered = exists().where(ManagementNetwork.id.is_not(None))
    statement = select(Device).where(covered, is_ip, ~inside).order_by(Device.hostname)
    return list(await session.scalars(statement))
