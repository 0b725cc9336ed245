"""The `inventory_sync` job kind: a job naming a source, whose run is a sync done by the api.

The api owns the inventory, so the sync runs here, not in a worker: when the scheduler asks for a
slot's run, or on "run now", the source is read and the run is recorded finished in the same
transaction as the devices it changed, `succeeded` with the sync's counts or `failed` with why (the
source keeps the same outcome). The run has no per-device results and dispatches nothing.
"""

from dataclasses import dataclass
from uuid import UUID, uuid4

import structlog
from netraven_shared.crypto import credential_cipher
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import Job, Run, RunStatus
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.events.jobs import Trigger
from netraven_shared.settings import SecretSettings
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.inventory_sources import repository
from netraven_api.inventory_sources.reader import SourceFailed
from netraven_api.inventory_sources.sync import record_failure, sync_source

INVENTORY_SYNC = "inventory_sync"
log = structlog.get_logger()


@dataclass(frozen=True)
class InventorySyncer:
    settings: SecretSettings
    catalog: DriverCatalog

    async def run(
        self, session: AsyncSession, job: Job, trigger: Trigger, run_id: UUID | None = None
    ) -> Run:
        """The job's run, finished, flushed in `session`'s transaction with what the sync did."""
        run = Run(
            id=run_id or uuid4(),
            job_id=job.id,
            trigger=trigger,
            kind=INVENTORY_SYNC,
            started_at=utc_now(),
        )
        source = (
            await repository.get_source(session, job.inventory_source_id)
            if job.inventory_source_id
            else None
        )
        if source is None:
            run.status, run.error = RunStatus.FAILED, "the job's inventory source is gone"
        else:
            try:
                report = await sync_source(
                    session, source, credential_cipher(self.settings), self.catalog, dry_run=False
                )
            except SourceFailed as error:
                await record_failure(session, source, error.message)
                run.status, run.error = RunStatus.FAILED, error.message
            else:
                run.status, run.summary = RunStatus.SUCCEEDED, report.counts.model_dump()
        run.finished_at = utc_now()
        session.add(run)
        await session.flush()
        log.info(
            "inventory_sources.job_synced",
            job_id=str(job.id),
            run_id=str(run.id),
            status=run.status,
            error=run.error,
        )
        return run
