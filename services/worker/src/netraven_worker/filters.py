"""The operators' config filters (table `config_filters`, the api's), as the worker applies them.

Every enabled filter is read in one query and kept `NETRAVEN_CONFIG_FILTER_CACHE_SECONDS` (5 s;
0 reads them for every backup): a run backs up many devices and the table is small, so one read
serves them all. A filter saved, restored, disabled or deleted in the api therefore applies to
every backup that starts at most that long after. A device gets the filters naming its platform
(`device_type`) or one of its tags, by filter name; the pipeline runs them after the driver's own
rules, here in the worker, so no secret they cover ever leaves it.
"""

import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from uuid import UUID

from netraven_shared.db.models import ConfigFilter
from netraven_shared.drivers.pipeline import compiled_redactions, noise_pattern
from netraven_shared.drivers.spec import OperatorFilter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection


@dataclass(frozen=True)
class ScopedFilter:
    platform: str | None
    tag_id: UUID | None
    rules: OperatorFilter


async def enabled_filters(connection: AsyncConnection) -> list[ScopedFilter]:
    rows = await connection.execute(
        select(
            ConfigFilter.name,
            ConfigFilter.version,
            ConfigFilter.platform,
            ConfigFilter.tag_id,
            ConfigFilter.redactions,
            ConfigFilter.noise,
        )
        .where(ConfigFilter.enabled)
        .order_by(ConfigFilter.name)
    )
    return [
        ScopedFilter(
            row.platform,
            row.tag_id,
            OperatorFilter.stored(row.name, row.version, row.redactions, row.noise),
        )
        for row in rows
    ]


def filters_for(
    filters: Sequence[ScopedFilter], device_type: str, tag_ids: frozenset[UUID]
) -> tuple[OperatorFilter, ...]:
    return tuple(
        each.rules for each in filters if each.platform == device_type or each.tag_id in tag_ids
    )


def uncompilable(filters: Sequence[OperatorFilter]) -> str | None:
    """Why one of the filters cannot run (the api checked them, but a pattern this worker's Python
    refuses must stop the backup rather than store a config it failed to redact), or None."""
    for each in filters:
        try:
            compiled_redactions(each.redactions)
            noise_pattern(each.noise)
        except re.error as error:
            return f"config filter '{each.label}' does not compile ({error})"
    return None


class FilterCache:
    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._entry: tuple[float, list[ScopedFilter]] | None = None

    async def filters(
        self, load: Callable[[], Awaitable[list[ScopedFilter]]]
    ) -> list[ScopedFilter]:
        now = self._clock()
        if self._entry is not None and self._entry[0] > now:
            return self._entry[1]
        filters = await load()
        if self._ttl > 0:
            self._entry = (now + self._ttl, filters)
        return filters


NAMED_IN_A_LINE = 10  # a log line is at most 4000 characters, a filter name 100


def named(filters: Sequence[OperatorFilter]) -> list[str]:
    """The filters as the operator log names them: `name vN`, the first few and a count."""
    labels = [each.label for each in filters[:NAMED_IN_A_LINE]]
    more = len(filters) - NAMED_IN_A_LINE
    return labels + ([f"and {more} more"] if more > 0 else [])
