"""`POST /api/devices/import`: devices from JSON or CSV, a report per row."""

from functools import partial

import structlog
from fastapi import APIRouter, Request
from netraven_shared.db.models import Role

from netraven_api.audit.security_decisions import audit
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.deps import BrokerDep, CallerRole, DriverCatalogDep, Operator
from netraven_api.devices import import_reader, importer
from netraven_api.devices.schemas import DeviceImportRow, ImportReport
from netraven_api.errors import error_responses
from netraven_api.unit_of_work import UnitOfWorkDep

log = structlog.get_logger()
router = APIRouter(prefix="/devices", tags=["devices"])

_CSV_HELP = (
    "Columns hostname,ip_address,device_type,port,timeout_seconds,legacy_ssh,tags,host_key (all "
    "but the first three optional; tags separated by `;`, legacy_ssh true or false, host_key an "
    "OpenSSH public key line: admins only)."
)
_IMPORT_ROWS = {
    "type": "array",
    "maxItems": import_reader.MAX_ROWS,
    "items": DeviceImportRow.model_json_schema(),
}
IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"devices": _IMPORT_ROWS},
                    "required": ["devices"],
                }
            },
            "text/csv": {"schema": {"type": "string", "description": _CSV_HELP}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": _CSV_HELP}
                    },
                }
            },
        },
    }
}


@router.post(
    "/import",
    summary="Import devices from JSON or CSV; a report per row",
    description="Every row is validated first; failing rows are reported and skipped, valid rows "
    f"are created together. At most {import_reader.MAX_ROWS} rows (413 beyond). A row outside the "
    "management networks refuses the whole import (422 with `management_networks`); a row whose "
    "device_type no driver has fails with the supported platforms named.",
    openapi_extra=IMPORT_BODY,
    responses=error_responses(403, 413),
)
async def import_devices(
    request: Request,
    work: UnitOfWorkDep,
    broker: BrokerDep,
    catalog: DriverCatalogDep,
    user: Operator,
    role: CallerRole,
    trail: AuditTrailDep,
) -> ImportReport:
    rows = await import_reader.read_rows(request)
    may_pin = role == Role.ADMIN
    report, pinned = await importer.import_devices(
        work.session, rows, catalog, may_pin_host_keys=may_pin
    )
    changes = {"created": report.created, "failed": report.failed, "pinned_host_keys": pinned}
    trail.record("device.import", "device", changes=changes)
    log.info("devices.imported", created=report.created, failed=report.failed, by=user.username)
    if pinned:
        message = f"{user.username} imported {pinned} devices with pinned host keys"
        work.after_commit(
            partial(
                audit,
                broker,
                "host_key.imported",
                message,
                by=user.username,
                devices=pinned,
            )
        )
    return report
