"""On-demand checks: every device's newest config (or one device's) evaluated against the rules.

A fleet check is a row (`compliance_checks`) created in the request, then run in the api process
after the request committed, `CONCURRENCY` devices at a time, each device in its own transaction
that also counts the check's progress; its violations are published after that commit. A check
cut short by an api restart stays unfinished (`finished_at` empty); start another.
"""

import asyncio
from uuid import UUID

import structlog
from faststream.nats import NatsBroker
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ComplianceCheck, User
from netraven_shared.errors import NotFound
from netraven_shared.messaging import publish_event
from netraven_shared.task_stop import stop_task
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_api.compliance import repository
from netraven_api.compliance.evaluation import Evaluated, evaluate_version
from netraven_api.unit_of_work import UnitOfWork, unit_of_work

log = structlog.get_logger()
CONCURRENCY = 4


async def create_check(
    session: AsyncSession, by: User
) -> tuple[ComplianceCheck, list[tuple[UUID, str]]]:
    """The check's row and the versions it will evaluate (each device's newest)."""
    versions = await repository.newest_commits(session)
    check = ComplianceCheck(started_by=by.username, total=len(versions))
    session.add(check)
    await session.flush()
    return check, versions


async def get_check(session: AsyncSession, check_id: UUID) -> ComplianceCheck:
    check = await repository.get_check(session, check_id)
    if check is None:
        raise NotFound(f"no compliance check with id {check_id}")
    return check


async def check_device(
    work: UnitOfWork, broker: NatsBroker, device_id: UUID, timeout: float
) -> Evaluated:
    """Evaluate one device's newest config now; its violation is published after the commit."""
    commit = await repository.newest_commit(work.session, device_id)
    if commit is None:
        raise NotFound(f"device {device_id} has no stored config to check")
    evaluated = await evaluate_version(work.session, broker, device_id, commit, timeout)
    if evaluated is None:
        raise NotFound(f"no device with id {device_id}")
    _publish_after_commit(work, broker, evaluated)
    return evaluated


def _publish_after_commit(work: UnitOfWork, broker: NatsBroker, evaluated: Evaluated) -> None:
    violated = evaluated.violated
    if violated is not None:
        work.after_commit(lambda: publish_event(broker, violated))


class FleetChecks:
    """The fleet checks running in this api process."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], broker: NatsBroker, timeout: float
    ) -> None:
        self._sessions, self._broker, self._timeout = sessions, broker, timeout
        self._running: set[asyncio.Task[None]] = set()

    def start(self, check_id: UUID, versions: list[tuple[UUID, str]]) -> None:
        task = asyncio.create_task(
            self._run(check_id, versions), name=f"compliance-check-{check_id}"
        )
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def close(self) -> None:
        for task in list(self._running):
            await stop_task(task)

    async def _run(self, check_id: UUID, versions: list[tuple[UUID, str]]) -> None:
        slots = asyncio.Semaphore(CONCURRENCY)

        async def one(device_id: UUID, commit: str) -> None:
            async with slots:
                await self._evaluate(check_id, device_id, commit)

        await asyncio.gather(*(one(device_id, commit) for device_id, commit in versions))
        async with unit_of_work(self._sessions) as work:
            await repository.finish_check(work.session, check_id, utc_now())
        log.info("compliance.check_finished", check_id=str(check_id), devices=len(versions))

    async def _evaluate(self, check_id: UUID, device_id: UUID, commit: str) -> None:
        try:
            async with unit_of_work(self._sessions) as work:
                evaluated = await evaluate_version(
                    work.session, self._broker, device_id, commit, self._timeout, check_id
                )
                noncompliant = evaluated is not None and evaluated.violated is not None
                await repository.count_check_progress(work.session, check_id, noncompliant, False)
                if evaluated is not None:
                    _publish_after_commit(work, self._broker, evaluated)
        except Exception as error:  # noqa: BLE001  (one device's failure is counted, the rest go on)
            log.warning(
                "compliance.check_device_failed",
                check_id=str(check_id),
                device_id=str(device_id),
                reason=str(error),
            )
            async with unit_of_work(self._sessions) as work:
                await repository.count_check_progress(work.session, check_id, False, True)
