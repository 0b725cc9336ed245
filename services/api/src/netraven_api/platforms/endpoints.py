from fastapi import APIRouter

from netraven_api.deps import DriverCatalogDep, Viewer
from netraven_api.platforms import service
from netraven_api.platforms.schemas import PlatformList

router = APIRouter(prefix="/platforms", tags=["platforms"])


@router.get(
    "",
    summary="The platforms a device may name (its device_type): built-in and local drivers",
    description="`errors` lists the driver files in the drivers directory that did not load, "
    "each with its file and field. The list is read when the api starts.",
)
async def list_platforms(catalog: DriverCatalogDep, _: Viewer) -> PlatformList:
    return service.platform_list(catalog)
