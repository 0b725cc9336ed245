"""What a backup keeps of a collected session: the config and the extra outputs through the
driver's pipeline and the operators' filters, and the facts read from them. Nothing leaves the
worker before this: the secrets are redacted here.

A small text is redacted on the event loop: the regexes hold the GIL either way, and the hop to a
thread and back costs more than they do. A large one takes a while: off the loop, like the session
itself.
"""

import asyncio
from collections.abc import Callable
from typing import NamedTuple, ParamSpec, TypeVar

from netraven_shared.drivers.pipeline import stored_config
from netraven_shared.drivers.spec import DriverSpec, OperatorFilter
from netraven_shared.events.backups import DeviceFacts

from netraven_worker.collection import Collected
from netraven_worker.outputs import facts_of, stored_outputs

REDACTED_ON_THE_LOOP_CHARS = 16_384  # a few milliseconds of regexes at most
P = ParamSpec("P")
T = TypeVar("T")


class Stored(NamedTuple):
    """What a backup keeps, redacted and filtered: the config, the extra outputs by name, the
    facts read from them; and the address a device given by DNS name resolved to."""

    config: str
    outputs: dict[str, str]
    facts: DeviceFacts | None
    resolved_address: str | None


async def kept(
    collected: Collected,
    spec: DriverSpec,
    filters: tuple[OperatorFilter, ...],
    resolved_address: str | None,
) -> Stored:
    """Raises `RunawayRedaction` when an operator's filter keeps matching its own output."""
    config = await _off_the_loop_if_large(
        len(collected.raw), stored_config, collected.raw, spec, filters
    )
    size = sum(len(output.raw or "") for output in collected.outputs)
    outputs = await _off_the_loop_if_large(size, stored_outputs, spec, collected.outputs, filters)
    return Stored(config, outputs, facts_of(spec, config, outputs), resolved_address)


async def _off_the_loop_if_large(
    size: int, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T:
    if size <= REDACTED_ON_THE_LOOP_CHARS:
        return work(*args, **kwargs)
    return await asyncio.to_thread(work, *args, **kwargs)
