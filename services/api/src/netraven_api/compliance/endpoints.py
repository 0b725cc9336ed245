from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from netraven_shared.db.models import ComplianceCheck, User

from netraven_api.audit.changes import summarize
from netraven_api.audit.trail import AuditTrail, AuditTrailDep
from netraven_api.compliance import fleet_check, service
from netraven_api.compliance.fleet_check import FleetChecks
from netraven_api.compliance.schemas import (
    CheckOut,
    ComplianceRuleIn,
    ComplianceRuleOut,
    ComplianceRuleUpdate,
    ComplianceSummary,
    EvaluationOut,
    FailingDevice,
)
from netraven_api.deps import (
    Admin,
    BrokerDep,
    DriverCatalogDep,
    Operator,
    SessionDep,
    SettingsDep,
    Viewer,
)
from netraven_api.errors import error_responses
from netraven_api.unit_of_work import UnitOfWork, UnitOfWorkDep

router = APIRouter(tags=["compliance"], responses=error_responses(403))


def _fleet_checks(request: Request) -> FleetChecks:
    return request.app.state.fleet_checks


FleetChecksDep = Annotated[FleetChecks, Depends(_fleet_checks)]


@router.get("/compliance/rules", summary="List the compliance rules")
async def list_rules(session: SessionDep, _: Viewer) -> list[ComplianceRuleOut]:
    return await service.list_rules(session)


@router.post(
    "/compliance/rules",
    status_code=201,
    summary="Add a compliance rule (admin); a regex that does not compile is a 422",
    responses=error_responses(409),
)
async def create_rule(
    data: ComplianceRuleIn,
    work: UnitOfWorkDep,
    catalog: DriverCatalogDep,
    user: Admin,
    fleet: FleetChecksDep,
    trail: AuditTrailDep,
) -> ComplianceRuleOut:
    rule = await service.create_rule(work.session, catalog, data)
    trail.record("compliance_rule.create", "compliance_rule", rule.id, changes=summarize(data))
    await _check_fleet_after_commit(work, user, fleet, trail)
    return await service.rule_out(work.session, rule)


@router.get(
    "/compliance/rules/{rule_id}", summary="Get one compliance rule", responses=error_responses(404)
)
async def get_rule(rule_id: UUID, session: SessionDep, _: Viewer) -> ComplianceRuleOut:
    return await service.rule_out(session, await service.get_rule(session, rule_id))


@router.patch(
    "/compliance/rules/{rule_id}",
    summary="Change a compliance rule (admin; only the fields sent)",
    responses=error_responses(404, 409),
)
async def update_rule(
    rule_id: UUID,
    data: ComplianceRuleUpdate,
    work: UnitOfWorkDep,
    catalog: DriverCatalogDep,
    user: Admin,
    fleet: FleetChecksDep,
    trail: AuditTrailDep,
) -> ComplianceRuleOut:
    session = work.session
    before = await service.rule_out(session, await service.get_rule(session, rule_id))
    out = await service.rule_out(
        session, await service.update_rule(session, catalog, rule_id, data)
    )
    trail.record(
        "compliance_rule.update", "compliance_rule", rule_id, changes=summarize(data, before, out)
    )
    await _check_fleet_after_commit(work, user, fleet, trail)
    return out


@router.delete(
    "/compliance/rules/{rule_id}",
    status_code=204,
    summary=(
        "Delete a compliance rule (admin); past evaluations keep its outcomes, the fleet is "
        "checked again"
    ),
    responses=error_responses(404),
)
async def delete_rule(
    rule_id: UUID, work: UnitOfWorkDep, user: Admin, fleet: FleetChecksDep, trail: AuditTrailDep
) -> Response:
    name = await service.delete_rule(work.session, rule_id)
    trail.record("compliance_rule.delete", "compliance_rule", rule_id, changes={"name": name})
    await _check_fleet_after_commit(work, user, fleet, trail)
    return Response(status_code=204)


@router.get(
    "/compliance/rules/{rule_id}/failing",
    summary="The devices whose newest evaluation fails this rule, with what matched or is missing",
    responses=error_responses(404),
)
async def failing_devices(rule_id: UUID, session: SessionDep, _: Viewer) -> list[FailingDevice]:
    return await service.failing_devices(session, rule_id)


@router.get(
    "/compliance/summary",
    summary="Per rule pass/fail counts and per device status, over each device's newest evaluation",
)
async def summary(session: SessionDep, _: Viewer) -> ComplianceSummary:
    return await service.summary(session)


@router.get(
    "/compliance/devices/{device_id}",
    summary="A device's newest evaluation, per rule with details",
    responses=error_responses(404),
)
async def device_current(device_id: UUID, session: SessionDep, _: Viewer) -> EvaluationOut:
    return await service.device_current(session, device_id)


@router.get(
    "/compliance/devices/{device_id}/history", summary="A device's evaluations, newest first"
)
async def device_history(
    device_id: UUID,
    session: SessionDep,
    _: Viewer,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[EvaluationOut]:
    return await service.device_history(session, device_id, limit)


@router.post(
    "/compliance/check",
    status_code=202,
    summary="Evaluate every device's newest config now (operator); follow it by its id",
)
async def check_fleet(
    work: UnitOfWorkDep, user: Operator, fleet: FleetChecksDep, trail: AuditTrailDep
) -> CheckOut:
    return CheckOut.model_validate(
        await _check_fleet_after_commit(work, user, fleet, trail), from_attributes=True
    )


async def _check_fleet_after_commit(
    work: UnitOfWork, user: User, fleet: FleetChecks, trail: AuditTrail
) -> ComplianceCheck:
    """A fleet check that starts once the request's changes are committed: asked for, or after a
    rule was added, changed or deleted, so every device's current result follows the rules."""
    check, versions = await fleet_check.create_check(work.session, user)
    work.after_commit(lambda: fleet.start(check.id, versions))
    trail.record("compliance.check", "compliance_check", check.id, changes={"devices": check.total})
    return check


@router.get(
    "/compliance/checks/{check_id}",
    summary="How far a fleet check got",
    responses=error_responses(404),
)
async def get_check(check_id: UUID, session: SessionDep, _: Viewer) -> CheckOut:
    check = await fleet_check.get_check(session, check_id)
    return CheckOut.model_validate(check, from_attributes=True)


@router.post(
    "/devices/{device_id}/compliance/check",
    summary="Evaluate one device's newest config now (operator)",
    responses=error_responses(404, 503),
)
async def check_device(
    device_id: UUID,
    work: UnitOfWorkDep,
    broker: BrokerDep,
    settings: SettingsDep,
    _: Operator,
    trail: AuditTrailDep,
) -> EvaluationOut:
    evaluated = await fleet_check.check_device(
        work, broker, device_id, settings.gitkeeper_timeout_seconds
    )
    trail.record(
        "device.compliance_check",
        "device",
        device_id,
        changes={"commit": evaluated.evaluation.commit, "status": evaluated.evaluation.status},
    )
    return service.evaluation_out(evaluated.evaluation, evaluated.hostname)
