"""The rows one recorder batch reads, changes in memory and writes back (recorder.py holds the rules
each kind of report follows).

`ReportBatch` holds the runs `record` locked and the results its events name. It refuses an event
its run does not agree with on job and kind (`check_run`) or naming a device the run does not back
up (`result`), gathers what the events teach about devices, and writes it all at the end
(`write`).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import structlog
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ResultStatus, RunStatus
from netraven_shared.host_keys import HostKey
from netraven_shared.rejection import Rejected
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.host_keys.repository import record_offer
from netraven_api.runs import repository
from netraven_api.runs.credential_figures import CredentialFigures
from netraven_api.runs.device_reports import (
    Facts,
    Reachability,
    SeenKey,
    keep_newest_checks,
    keep_newest_facts,
    pin_on_first_use,
)
from netraven_api.runs.progress import Moves, advance_runs, finish_runs_without_results

log = structlog.get_logger()
FINAL = (ResultStatus.SUCCEEDED, ResultStatus.FAILED, ResultStatus.CANCELLED)


@dataclass
class ResultRow:
    """A result row as the batch changes it; `repository.RESULT_COLUMNS` in order."""

    run_id: UUID
    device_id: UUID
    status: str
    error: str | None
    attempts: int
    credential_id: UUID | None
    resolved_address: str | None
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime

    def finish(self, status: ResultStatus, error: str | None, at: datetime) -> bool:
        """Move to a final status; False if it already had one."""
        if self.status in FINAL:
            return False
        self.status, self.error = status, error
        self.finished_at = self.updated_at = at
        self.started_at = self.started_at or at
        return True

    def row(self) -> tuple[Any, ...]:
        """The columns, in `repository.RESULT_COLUMNS` order."""
        return (
            self.run_id,
            self.device_id,
            self.status,
            self.error,
            self.attempts,
            self.credential_id,
            self.resolved_address,
            self.started_at,
            self.finished_at,
            self.updated_at,
        )


class ReportBatch:
    def __init__(self, runs: list[Row[Any]], results: list[Row[Any]], figures: CredentialFigures):
        self.now = utc_now()
        self.figures = figures
        self._runs = {run.id: run for run in runs}
        self._read = {tuple(r) for r in results}
        self._results = {(r[0], r[1]): ResultRow(*r) for r in self._read}
        self.runs_failed_early: set[UUID] = set()
        self.seen_keys: list[SeenKey] = []
        self.offers: list[tuple[UUID, HostKey, datetime]] = []  # (device, key, seen at)
        self.checks: list[Reachability] = []
        self.facts: list[Facts] = []

    def check_run(self, run_id: UUID, job_id: UUID | None, kind: str | None) -> None:
        """Refuse an event the run does not agree with on job and kind (`kind` None: either)."""
        run = self._runs.get(run_id)
        if run is None:
            raise Rejected(f"run {run_id} is not in the database")
        if job_id is not None and job_id != run.job_id:
            raise Rejected(f"run {run_id} is not a run of job {job_id}")
        if kind is not None and run.kind != kind:
            raise Rejected(f"run {run_id} is a {run.kind} run, not a {kind} run")

    def result(self, run_id: UUID, device_id: UUID) -> ResultRow:
        """A result of a checked run: a run's results are all created with it, so an event naming a
        device the run does not back up is refused."""
        result = self._results.get((run_id, device_id))
        if result is None:
            raise Rejected(f"run {run_id} has no result for device {device_id}")
        return result

    async def write(self, session: AsyncSession) -> None:
        rows = (result.row() for result in self._results.values())
        await repository.update_results(session, [row for row in rows if row not in self._read])
        await self.figures.write(session)
        for refused in await pin_on_first_use(session, self.seen_keys):
            seen, pinned = refused
            # The worker verified against the pin it read: an admin changed it meanwhile, and
            # theirs stands.
            log.warning(
                "run_recorder.host_key_not_repinned",
                device_id=str(seen.device_id),
                run_id=str(seen.run_id),
                pinned=pinned,
                reported=seen.key.fingerprint,
            )
        for device_id, key, seen_at in self.offers:
            await record_offer(session, device_id, key, seen_at)
        await keep_newest_checks(session, self.checks)
        await keep_newest_facts(session, self.facts)
        await finish_runs_without_results(
            session, self.runs_failed_early, self.now, RunStatus.FAILED
        )
        run_status = {run_id: run.status for run_id, run in self._runs.items()}
        await advance_runs(session, self._moves(), run_status, self.now)

    def _moves(self) -> dict[UUID, Moves]:
        """What the batch did to each run's results, from the rows as read and as they are now."""
        moves: dict[UUID, Moves] = {}
        for run_id, device_id, status_was, *_ in self._read:
            status = self._results[(run_id, device_id)].status
            if status == status_was:
                continue
            run = moves.setdefault(run_id, Moves())
            run.left_queue += status_was == ResultStatus.QUEUED
            run.succeeded += status == ResultStatus.SUCCEEDED
            run.failed += status == ResultStatus.FAILED
        return moves
