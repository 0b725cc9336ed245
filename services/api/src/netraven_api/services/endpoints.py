from fastapi import APIRouter
from netraven_shared.events.base import utc_now

from netraven_api.deps import BrokerDep, Viewer
from netraven_api.errors import error_responses
from netraven_api.services import service
from netraven_api.services.schemas import ServiceOut

router = APIRouter(prefix="/services", tags=["services"])


@router.get(
    "",
    summary=(
        "List the service processes seen in the last 15 s: readiness, problem, "
        "and restarts by `make run`"
    ),
    responses=error_responses(503),
)
async def list_services(broker: BrokerDep, _: Viewer) -> list[ServiceOut]:
    return await service.live_services(broker.config.connection_state.stream, utc_now())
