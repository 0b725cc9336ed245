"""Compliance on change: the api's durable consumer of `ConfigChanged` evaluates each new version
within seconds and announces `ComplianceViolated` after the commit that records it.

A batch is evaluated and recorded in one transaction, against the enabled rules read once for it;
with no rule enabled nothing is evaluated (adding, changing or deleting a rule checks the whole
fleet, so every device's current result already says it passes no rules). Only a device's newest
version is evaluated (a new durable starts with the stream's history: each device's newest change
of the last days is evaluated once). A version gitkeeper no longer has is skipped (logged);
gitkeeper not answering fails the batch, which comes back after a delay.
"""

from functools import partial

import structlog
from faststream.nats import NatsBroker
from netraven_shared.batch_consumer import BatchConsumer
from netraven_shared.batch_items import Write, parsed_as
from netraven_shared.errors import NotFound
from netraven_shared.events import ConfigChanged, Event
from netraven_shared.messaging import publish_events
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.compliance.evaluation import enabled_rules, evaluate_change
from netraven_api.unit_of_work import unit_of_work

log = structlog.get_logger()
DURABLE = "api-compliance"
MAX_BATCH = 50


def evaluating(
    sessions: async_sessionmaker[AsyncSession], broker: NatsBroker, timeout: float
) -> Write[ConfigChanged]:
    async def write(changes: list[ConfigChanged]) -> None:
        async with unit_of_work(sessions) as work:
            enabled = await enabled_rules(work.session)
            if not enabled:
                return
            violations: list[Event] = []
            for change in changes:
                try:
                    evaluated = await evaluate_change(
                        work.session, broker, change, timeout, enabled
                    )
                except NotFound as missing:
                    log.warning(
                        "compliance.version_unreadable",
                        device_id=str(change.device_id),
                        commit=change.new_commit,
                        reason=str(missing),
                    )
                    continue
                if evaluated is not None and evaluated.violated is not None:
                    violations.append(evaluated.violated)
            if violations:
                work.after_commit(partial(publish_events, broker, violations))

    return write


def compliance_consumer(
    broker: NatsBroker, sessions: async_sessionmaker[AsyncSession], timeout: float
) -> BatchConsumer[ConfigChanged]:
    return BatchConsumer(
        broker,
        ConfigChanged.subject,
        DURABLE,
        "api",
        parsed_as(ConfigChanged),
        evaluating(sessions, broker, timeout),
        max_batch=MAX_BATCH,
    )
