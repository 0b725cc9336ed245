from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from netraven_shared.config_transport import sha256_of
from netraven_shared.events.config_read import (
    COMMIT_PATTERN,
    OUTPUT_NAME_PATTERN,
    SEARCH_MAX_DEVICES,
    SEARCH_TEXT_PATTERN,
)

from netraven_api.audit.trail import AuditTrailDep
from netraven_api.configs import downloads, service
from netraven_api.configs.schemas import (
    ConfigDiff,
    ConfigText,
    ConfigVersionOut,
    DeviceSearchResult,
)
from netraven_api.deps import BrokerDep, SessionDep, SettingsDep, Viewer
from netraven_api.devices.service import get_device
from netraven_api.errors import error_responses

router = APIRouter(tags=["configs"])
COMMIT_HELP = "A commit id (7 to 40 hex digits)"
Commit = Annotated[str, Path(pattern=COMMIT_PATTERN, description=COMMIT_HELP)]
CommitQuery = Annotated[str, Query(pattern=COMMIT_PATTERN, description=COMMIT_HELP)]
OutputQuery = Annotated[
    str | None,
    Query(
        pattern=OUTPUT_NAME_PATTERN,
        description="One of the driver's extra outputs (`version`, `inventory`, ...; see "
        "`GET /api/platforms`) stored beside the config at that version, instead of the config",
    ),
]
TRUNCATED_HEADER = "X-Results-Truncated"
CommitOrLatest = Annotated[
    str,
    Path(
        pattern=rf"^({downloads.LATEST}|{COMMIT_PATTERN.strip('^$')})$",
        description=f"{COMMIT_HELP}, or `{downloads.LATEST}` for the newest version",
    ),
]


@router.get(
    "/devices/{device_id}/configs",
    summary="Config versions of a device, newest first",
    responses=error_responses(404),
)
async def list_versions(
    device_id: UUID,
    session: SessionDep,
    _: Viewer,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[ConfigVersionOut]:
    await get_device(session, device_id)
    versions = await service.list_versions(session, device_id, limit)
    return [ConfigVersionOut.model_validate(v, from_attributes=True) for v in versions]


@router.get(
    "/devices/{device_id}/configs/diff",
    summary="Unified diff of a device's config between two versions",
    responses=error_responses(404, 503),
)
async def diff_versions(
    device_id: UUID,
    old: Annotated[str, Query(alias="from", pattern=COMMIT_PATTERN, description=COMMIT_HELP)],
    to: CommitQuery,
    session: SessionDep,
    broker: BrokerDep,
    settings: SettingsDep,
    _: Viewer,
    trail: AuditTrailDep,
    output: OutputQuery = None,
) -> ConfigDiff:
    diff = await service.diff(
        session, broker, device_id, old, to, settings.gitkeeper_timeout_seconds, output
    )
    changes = {"from": old, "to": to} | ({"output": output} if output else {})
    trail.record("config.diff", "device", device_id, changes=changes)
    return diff


@router.get(
    "/devices/{device_id}/configs/{commit}",
    summary="One config version's text",
    responses=error_responses(404, 503),
)
async def read_version(
    device_id: UUID,
    commit: Commit,
    session: SessionDep,
    broker: BrokerDep,
    settings: SettingsDep,
    _: Viewer,
    trail: AuditTrailDep,
    output: OutputQuery = None,
) -> ConfigText:
    version = await service.find_version(session, device_id, commit)
    text = await service.read_text(
        broker, device_id, version.commit, settings.gitkeeper_timeout_seconds, output
    )
    changes = {"commit": version.commit} | ({"output": output} if output else {})
    trail.record("config.read", "device", device_id, changes=changes)
    return ConfigText(
        device_id=device_id,
        commit=version.commit,
        committed_at=version.committed_at,
        sha256=version.sha256 if output is None else sha256_of(text),
        text=text,
        output=output,
    )


@router.get(
    "/configs/search",
    summary=(
        "Find a text (case-insensitive) in the latest config of every device, "
        "with two lines of context"
    ),
    description=(
        "At most `limit` devices and a capped number of matches; the "
        f"`{TRUNCATED_HEADER}` header is `true` when more were left off."
    ),
    responses=error_responses(503),
)
async def search_configs(
    q: Annotated[
        str,
        Query(
            min_length=2,
            max_length=200,
            pattern=SEARCH_TEXT_PATTERN,
            description="Fixed text to find, ignoring case",
        ),
    ],
    response: Response,
    session: SessionDep,
    broker: BrokerDep,
    settings: SettingsDep,
    _: Viewer,
    trail: AuditTrailDep,
    limit: Annotated[int, Query(ge=1, le=SEARCH_MAX_DEVICES)] = 50,
) -> list[DeviceSearchResult]:
    results, truncated = await service.search(
        session, broker, q, limit, settings.gitkeeper_timeout_seconds
    )
    trail.record("config.search", changes={"text": q, "devices_found": len(results)})
    response.headers[TRUNCATED_HEADER] = str(truncated).lower()
    return results


@router.get(
    "/devices/{device_id}/configs/{commit}/download",
    summary="One config version (or extra output) as a file to save",
    description=(
        "The same text as the config view, as `text/plain` with a `Content-Disposition` of "
        "`<hostname>-<short commit>.cfg` (`.<output>.txt` for an extra output)."
    ),
    response_class=Response,
    responses={**error_responses(404, 503), 200: {"content": {"text/plain": {}}}},
)
async def download_version(
    device_id: UUID,
    commit: CommitOrLatest,
    session: SessionDep,
    broker: BrokerDep,
    settings: SettingsDep,
    _: Viewer,
    trail: AuditTrailDep,
    output: OutputQuery = None,
) -> Response:
    file = await downloads.version_file(
        session, broker, device_id, commit, settings.gitkeeper_timeout_seconds, output
    )
    changes = {"commit": file.commit} | ({"output": output} if output else {})
    trail.record("config.download", "device", device_id, changes=changes)
    return Response(
        file.text,
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": downloads.attachment(file.filename)},
    )


@router.get(
    "/configs/archive",
    summary="Every device's config as it was at a point in time, as a .tar.gz",
    description=(
        "The tree of the newest commit at or before `at` (default: now), the configs and extra "
        "outputs under `configs/`; 404 when the repository has nothing that old."
    ),
    response_class=Response,
    responses={**error_responses(404, 503), 200: {"content": {"application/gzip": {}}}},
)
async def download_archive(
    broker: BrokerDep,
    settings: SettingsDep,
    _: Viewer,
    trail: AuditTrailDep,
    at: Annotated[
        datetime | None,
        Query(description="ISO 8601 time; without a zone, UTC. Default: now"),
    ] = None,
) -> Response:
    moment = datetime.now(UTC) if at is None else at if at.tzinfo else at.replace(tzinfo=UTC)
    archive = await downloads.archive(broker, moment, settings.gitkeeper_timeout_seconds)
    trail.record("config.archive", changes={"at": moment.isoformat(), "commit": archive.commit})
    return Response(
        archive.tar_gz,
        media_type="application/gzip",
        headers={"Content-Disposition": downloads.attachment(archive.filename)},
    )
