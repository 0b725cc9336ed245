from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query

from netraven_api.configs import service
from netraven_api.configs.schemas import ConfigText, ConfigVersionOut
from netraven_api.deps import BrokerDep, SessionDep, SettingsDep, Viewer
from netraven_api.devices.service import get_device

router = APIRouter(prefix="/devices/{device_id}/configs", tags=["configs"])
Commit = Annotated[str, Path(pattern=r"^[0-9a-f]{7,40}$", description="A commit id (7 to 40 hex digits)")]


@router.get("", summary="Config versions of a device, newest first")
async def list_versions(
    device_id: UUID, session: SessionDep, _: Viewer, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[ConfigVersionOut]:
    await get_device(session, device_id)
    versions = await service.list_versions(session, device_id, limit)
    return [ConfigVersionOut.model_validate(v, from_attributes=True) for v in versions]


@router.get("/{commit}", summary="One config version's text")
async def read_version(
    device_id: UUID, commit: Commit, session: SessionDep, broker: BrokerDep, settings: SettingsDep, _: Viewer
) -> ConfigText:
    version = await service.find_version(session, device_id, commit)
    text = await service.read_text(broker, device_id, version.commit, settings.gitkeeper_timeout_seconds)
    return ConfigText(device_id=device_id, commit=version.commit, committed_at=version.committed_at, sha256=version.sha256, text=text)
