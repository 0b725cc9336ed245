from fastapi import APIRouter
from netraven_shared.events.base import utc_now

from netraven_api.deps import BrokerDep, Viewer
from netraven_api.errors import error_responses
from netraven_api.workers import service
from netraven_api.workers.schemas import WorkersOut

router = APIRouter(prefix="/workers", tags=["workers"])


@router.get(
    "",
    summary=(
        "List the worker processes seen in the last 30 s, "
        "with their sessions in flight and capacity"
    ),
    responses=error_responses(503),
)
async def list_workers(broker: BrokerDep, _: Viewer) -> WorkersOut:
    return WorkersOut(
        items=await service.live_workers(broker.config.connection_state.stream, utc_now())
    )
