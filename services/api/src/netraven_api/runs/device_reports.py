"""What a recorder batch learns about devices, written in one statement per kind: the host keys
backups saw (pinned on first use), the reachability checks (the newest one kept) and the facts
backups read (the newest kept; a fact a backup could not read keeps its value).

Each statement takes the batch as arrays and changes only the device rows it names.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from netraven_shared.host_keys import HostKey
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class SeenKey:
    device_id: UUID
    run_id: UUID
    key: HostKey
    at: datetime


@dataclass(frozen=True)
class Reachability:
    device_id: UUID
    reachable: bool
    latency_ms: float | None
    error: str | None
    checked_at: datetime


@dataclass(frozen=True)
class Facts:
    device_id: UUID
    model: str | None
    serial_number: str | None
    os_version: str | None
    collected_at: datetime


# Pins the first key each device showed in the batch where nothing is pinned; returns, for every
# key seen, the fingerprint pinned when it is another key's (an admin changed the pin meanwhile).
_PIN_ON_FIRST_USE = text(
    "WITH seen AS (SELECT * FROM unnest(CAST(:device_id AS uuid[]), CAST(:key_type AS text[]),"
    " CAST(:public_key AS text[]), CAST(:fingerprint AS text[]), CAST(:at AS timestamptz[]))"
    " WITH ORDINALITY AS s(device_id, key_type, public_key, fingerprint, at, position)),"
    " first_seen AS (SELECT DISTINCT ON (device_id) * FROM seen ORDER BY device_id, position),"
    " pinned AS (UPDATE devices AS d SET host_key_status = 'pinned',"
    " host_key_type = f.key_type, host_key_public = f.public_key,"
    " host_key_fingerprint = f.fingerprint, host_key_pinned_at = f.at,"
    " host_key_pinned_by = 'first use'"
    " FROM first_seen AS f WHERE d.id = f.device_id AND d.host_key_status = 'none'"
    " RETURNING d.id, d.host_key_fingerprint)"
    " SELECT seen.position, coalesce(p.host_key_fingerprint, d.host_key_fingerprint) AS pinned"
    " FROM seen JOIN devices AS d ON d.id = seen.device_id"
    " LEFT JOIN pinned AS p ON p.id = seen.device_id"
    " WHERE coalesce(p.host_key_fingerprint, d.host_key_fingerprint) <> seen.fingerprint"
)

_KEEP_NEWEST_CHECK = text(
    "UPDATE devices AS d SET reachability_status = CASE WHEN v.reachable THEN 'reachable'"
    " ELSE 'unreachable' END, reachability_latency_ms = v.latency_ms,"
    " reachability_checked_at = v.checked_at, reachability_error = v.error"
    " FROM (SELECT DISTINCT ON (device_id) * FROM unnest(CAST(:device_id AS uuid[]),"
    " CAST(:reachable AS boolean[]), CAST(:latency_ms AS float8[]), CAST(:error AS text[]),"
    " CAST(:checked_at AS timestamptz[])) AS c(device_id, reachable, latency_ms, error, checked_at)"
    " ORDER BY device_id, checked_at DESC) AS v"
    " WHERE d.id = v.device_id"
    " AND (d.reachability_checked_at IS NULL OR d.reachability_checked_at < v.checked_at)"
)


async def pin_on_first_use(
    session: AsyncSession, seen: Sequence[SeenKey]
) -> list[tuple[SeenKey, str]]:
    """Pin each device's key where nothing is pinned; the keys seen that differ from the pin, with
    the fingerprint pinned."""
    if not seen:
        return []
    rows = await session.execute(
        _PIN_ON_FIRST_USE,
        {
            "device_id": [s.device_id for s in seen],
            "key_type": [s.key.key_type for s in seen],
            "public_key": [s.key.public_key for s in seen],
            "fingerprint": [s.key.fingerprint for s in seen],
            "at": [s.at for s in seen],
        },
    )
    return [(seen[row.position - 1], row.pinned) for row in rows]


async def keep_newest_checks(session: AsyncSession, checks: Sequence[Reachability]) -> None:
    """Keep each device's newest check: a late, redelivered older report changes nothing."""
    if checks:
        await session.execute(
            _KEEP_NEWEST_CHECK,
            {
                "device_id": [c.device_id for c in checks],
                "reachable": [c.reachable for c in checks],
                "latency_ms": [c.latency_ms for c in checks],
                "error": [c.error for c in checks],
                "checked_at": [c.checked_at for c in checks],
            },
        )


_KEEP_NEWEST_FACTS = text(
    "UPDATE devices AS d SET model = coalesce(v.model, d.model),"
    " serial_number = coalesce(v.serial_number, d.serial_number),"
    " os_version = coalesce(v.os_version, d.os_version), facts_updated_at = v.collected_at"
    " FROM (SELECT DISTINCT ON (device_id) * FROM unnest(CAST(:device_id AS uuid[]),"
    " CAST(:model AS text[]), CAST(:serial_number AS text[]), CAST(:os_version AS text[]),"
    " CAST(:collected_at AS timestamptz[]))"
    " AS f(device_id, model, serial_number, os_version, collected_at)"
    " ORDER BY device_id, collected_at DESC) AS v"
    " WHERE d.id = v.device_id"
    " AND (d.facts_updated_at IS NULL OR d.facts_updated_at < v.collected_at)"
)


async def keep_newest_facts(session: AsyncSession, facts: Sequence[Facts]) -> None:
    """Each device's newest facts: a late, redelivered older backup changes nothing."""
    if facts:
        await session.execute(
            _KEEP_NEWEST_FACTS,
            {
                "device_id": [f.device_id for f in facts],
                "model": [f.model for f in facts],
                "serial_number": [f.serial_number for f in facts],
                "os_version": [f.os_version for f in facts],
                "collected_at": [f.collected_at for f in facts],
            },
        )
