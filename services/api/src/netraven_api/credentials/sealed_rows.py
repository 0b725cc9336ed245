"""Every table whose rows hold secrets sealed with the credential key ring, and the queries key
rotation needs on them. Each row's `key_id` names the key that sealed all its secret columns."""

from dataclasses import dataclass
from typing import Any

from netraven_shared.db.models import Credential, InventorySource, NotificationChannel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class SealedTable:
    label: str
    model: Any
    columns: tuple[str, ...]
    # how a row is named in "does not decrypt" errors, before its name
    row_prefix: str


CREDENTIALS = SealedTable(
    "credentials",
    Credential,
    (
        "password_encrypted",
        "enable_secret_encrypted",
        "private_key_encrypted",
        "private_key_passphrase_encrypted",
    ),
    row_prefix="",
)
SEALED_TABLES = (
    CREDENTIALS,
    SealedTable(
        "notification channels",
        NotificationChannel,
        ("target_encrypted", "hmac_secret_encrypted"),
        row_prefix="notification channel ",
    ),
    SealedTable(
        "inventory sources", InventorySource, ("token_encrypted",), row_prefix="inventory source "
    ),
)


async def count_by_key(session: AsyncSession, table: SealedTable) -> dict[str, int]:
    rows = await session.execute(
        select(table.model.key_id, func.count()).group_by(table.model.key_id)
    )
    return {key_id: count for key_id, count in rows}


async def all_locked(session: AsyncSession, table: SealedTable) -> list[Any]:
    statement = select(table.model).order_by(table.model.name).with_for_update()
    return list(await session.scalars(statement))
