"""Every committed change to a run is announced to every api replica on core NATS (`RunProgressed`).

The api is the one writer of runs, and it writes them through its own sessions, so the announcer
watches those sessions instead of each writer calling it: the recorder, starting a run, cancelling
one and the reconciler all announce, and only once their transaction has committed (a rolled-back
change is never announced). What a flush wrote is noted, and so is what a Core statement returned
(`note_written`: the recorder writes runs without ORM objects); the commit hands it to one
publishing task. A burst of changes to one run coalesces into its latest state.
"""

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

import structlog
from faststream.nats import NatsBroker
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Run, RunResult
from netraven_shared.events import RunProgressed
from sqlalchemy import ColumnElement, Table, event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

log = structlog.get_logger()
_FLUSHED = "netraven.runs_flushed"


_ANNOUNCED = (
    "job_id",
    "kind",
    "status",
    "device_count",
    "succeeded_count",
    "failed_count",
    "started_at",
    "finished_at",
    "correlation_id",
)


def _state_of(run: Run) -> dict[str, Any]:
    return {"run_id": run.id, **{name: getattr(run, name) for name in _ANNOUNCED}}


def announced_columns(runs: Table) -> list[ColumnElement[Any]]:
    """The columns of the `runs` table a statement returns for `note_written`."""
    return [runs.c.id.label("run_id"), *(runs.c[name] for name in _ANNOUNCED)]


def note_written(session: AsyncSession, states: Iterable[Mapping[Any, Any]]) -> None:
    """Runs a Core statement wrote in `session` (rows of `announced_columns`): announced after the
    commit, like what a flush wrote."""
    flushed: dict[UUID, dict[str, Any]] = session.info.setdefault(_FLUSHED, {})
    for state in states:
        flushed[state["run_id"]] = dict(state)


class RunAnnouncer:
    def __init__(self, broker: NatsBroker) -> None:
        self._broker = broker
        self._pending: dict[UUID, RunProgressed] = {}
        self._wake = asyncio.Event()
        self._session_class = type("RunAnnouncingSession", (Session,), {})
        event.listen(self._session_class, "after_flush", self._note_flushed)
        event.listen(self._session_class, "after_commit", self._announce_committed)
        event.listen(self._session_class, "after_rollback", self._forget)

    def watch(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Announce what sessions from `sessions` commit."""
        sessions.configure(sync_session_class=self._session_class)

    async def run_forever(self) -> None:
        client = self._broker.config.connection_state.connection
        while True:
            await self._wake.wait()
            self._wake.clear()
            pending, self._pending = self._pending, {}
            for progress in pending.values():
                try:
                    await client.publish(RunProgressed.subject, progress.model_dump_json().encode())
                except Exception:
                    log.warning(
                        "run_announcer.publish_failed",
                        run_id=str(progress.run_id),
                        exc_info=True,
                    )

    @staticmethod
    def _note_flushed(session: Session, _flush_context: object) -> None:
        """A run written, or a result of a run this session holds (the recorder locks the run)."""
        flushed: dict[UUID, dict[str, Any]] = session.info.setdefault(_FLUSHED, {})
        for row in (*session.new, *session.dirty):
            run = row if isinstance(row, Run) else None
            if isinstance(row, RunResult):
                run = session.identity_map.get(identity_key(Run, (row.run_id,)))
            if run is not None:
                flushed[run.id] = _state_of(run)

    def _announce_committed(self, session: Session) -> None:
        flushed = session.info.pop(_FLUSHED, None)
        if not flushed:
            return
        committed_at = utc_now()
        for run_id, state in flushed.items():
            self._pending[run_id] = RunProgressed(occurred_at=committed_at, **state)
        self._wake.set()

    @staticmethod
    def _forget(session: Session) -> None:
        session.info.pop(_FLUSHED, None)
