"""The credential key ring as operators manage it: how many sealed rows (credentials, notification
channels, inventory sources) each key encrypts, and rotation of all of them onto the primary key,
so an old key can be retired (docs/secrets.md)."""

from dataclasses import dataclass
from typing import Any

from netraven_shared.crypto import CredentialCipher
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.credentials.sealed_rows import (
    CREDENTIALS,
    SEALED_TABLES,
    SealedTable,
    all_locked,
    count_by_key,
)


@dataclass(frozen=True)
class KeyUsage:
    key_id: str
    in_ring: bool
    primary: bool
    # rows sealed with this key, by table label
    rows: dict[str, int]

    @property
    def credentials(self) -> int:
        return self.rows.get(CREDENTIALS.label, 0)

    @property
    def used(self) -> bool:
        return any(self.rows.values())


@dataclass(frozen=True)
class TableRotation:
    label: str
    rotated: int
    already_on_primary: int


def reseal(row: Any, table: SealedTable, cipher: CredentialCipher) -> bool:
    """Every secret of `row` encrypted with the primary key; False if they already were. All at
    once, because a row records one key id for them all."""
    if row.key_id == cipher.primary_key_id:
        return False
    sealed_with = {"key_id": row.key_id, "credential": f"{table.row_prefix}{row.name}"}
    for column in table.columns:
        token = getattr(row, column)
        if token is not None:
            setattr(row, column, cipher.reencrypt(token, **sealed_with))
    row.key_id = cipher.primary_key_id
    return True


async def key_usage(session: AsyncSession, cipher: CredentialCipher) -> list[KeyUsage]:
    """Every key of the ring in its order, then the keys sealed rows use that the ring lacks."""
    counts = {table.label: await count_by_key(session, table) for table in SEALED_TABLES}
    used = {key_id for per_key in counts.values() for key_id in per_key}
    ring = cipher.ring.ids
    return [
        KeyUsage(
            key_id,
            in_ring=key_id in ring,
            primary=key_id == cipher.primary_key_id,
            rows={label: per_key.get(key_id, 0) for label, per_key in counts.items()},
        )
        for key_id in [*ring, *sorted(used - set(ring))]
    ]


async def rotate(session: AsyncSession, cipher: CredentialCipher) -> list[TableRotation]:
    """Re-encrypt every sealed row not on the primary key, in the caller's unit of work: a key
    missing for one row leaves every row as it was."""
    rotations = []
    for table in SEALED_TABLES:
        rows = await all_locked(session, table)
        rotated = sum(reseal(row, table, cipher) for row in rows)
        rotations.append(TableRotation(table.label, rotated, len(rows) - rotated))
    await session.flush()
    return rotations
