from netraven_shared.events.worker_heartbeat import WorkerHeartbeat
from pydantic import BaseModel


class WorkerOut(WorkerHeartbeat):
    """One worker process, as its latest heartbeat describes it."""


class WorkersOut(BaseModel):
    items: list[WorkerOut]
