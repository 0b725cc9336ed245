from netraven_shared.db.models import Device, ManagementNetwork
from sqlalchemy import cast, delete, exists, select
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
    """Devices whose address no network contains (`>>=`: contains or equals); none when no network
    exists."""
    inside = exists().where(ManagementNetwork.cidr.op(">>=")(cast(Device.ip_address, INET)))
    covered = exists().where(ManagementNetwork.id.is_not(None))
    return list(
        await session.scalars(select(Device).where(covered, ~inside).order_by(Device.hostname))
    )
