from fastapi import APIRouter
from netraven_shared.events.base import utc_now

from netraven_api.deps import BrokerDep, Viewer
from netraven_api.errors import error_responses
from netraven_api.mirrors import service
from netraven_api.mirrors.schemas import MirrorsOut

router = APIRouter(prefix="/mirrors", tags=["mirrors"])


@router.get(
    "",
    summary=(
        "List the git mirrors of the config repository: remote (without secrets), OK or failing, "
        "last push, last error and the commits waiting"
    ),
    responses=error_responses(503),
)
async def list_mirrors(broker: BrokerDep, _: Viewer) -> MirrorsOut:
    return MirrorsOut(
        items=await service.mirror_statuses(broker.config.connection_state.stream, utc_now())
    )
