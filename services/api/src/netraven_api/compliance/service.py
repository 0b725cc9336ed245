"""Compliance rules (admins write them, everyone signed in reads them) and the results as the
dashboard shows them: per rule counts and failing devices, per device its newest evaluation and
history. Evaluating is `evaluation.py`; the rules themselves are applied by `evaluator.py`."""

from uuid import UUID

from netraven_shared.db.base import utc_now
from netraven_shared.db.models import ComplianceEvaluation, ComplianceRule
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.errors import Conflict, InvalidInput, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.compliance import repository
from netraven_api.compliance.evaluator import BadPattern, checked_line, checked_regex
from netraven_api.compliance.schemas import (
    ComplianceRuleIn,
    ComplianceRuleOut,
    ComplianceRuleUpdate,
    ComplianceSummary,
    DeviceStanding,
    EvaluationOut,
    FailingDevice,
    RuleCounts,
    RuleResult,
)
from netraven_api.platforms.service import platform_names
from netraven_api.schemas_common import Name

_WORST_FIRST = {"noncompliant": 0, "error": 1, "compliant": 2}
_SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2, None: 3}


async def rule_outs(session: AsyncSession, rules: list[ComplianceRule]) -> list[ComplianceRuleOut]:
    tags = await repository.rule_tag_names(session, [r.id for r in rules])
    return [
        ComplianceRuleOut(
            id=r.id,
            name=r.name,
            description=r.description,
            kind=r.kind,
            pattern=r.pattern,
            regex=r.is_regex,
            section=r.section,
            platforms=r.platforms,
            tags=tags[r.id],
            severity=r.severity,
            enabled=r.enabled,
            created_at=r.created_at,
            updated_at=r.updated_at,
        )
        for r in rules
    ]


async def rule_out(session: AsyncSession, rule: ComplianceRule) -> ComplianceRuleOut:
    return (await rule_outs(session, [rule]))[0]


async def list_rules(session: AsyncSession) -> list[ComplianceRuleOut]:
    return await rule_outs(session, await repository.list_rules(session))


async def get_rule(session: AsyncSession, rule_id: UUID) -> ComplianceRule:
    rule = await repository.get_rule(session, rule_id)
    if rule is None:
        raise NotFound(f"no compliance rule with id {rule_id}")
    return rule


async def create_rule(
    session: AsyncSession, catalog: DriverCatalog, data: ComplianceRuleIn
) -> ComplianceRule:
    await _refuse_taken(session, data.name)
    rule = ComplianceRule(
        name=data.name,
        description=data.description,
        kind=data.kind,
        severity=data.severity,
        enabled=data.enabled,
    )
    _set_patterns(rule, data.pattern, data.regex, data.section)
    rule.platforms = _checked_platforms(catalog, data.platforms)
    session.add(rule)
    await session.flush()
    await repository.set_rule_tags(session, rule.id, await _tag_ids(session, data.tags))
    return rule


async def update_rule(
    session: AsyncSession, catalog: DriverCatalog, rule_id: UUID, data: ComplianceRuleUpdate
) -> ComplianceRule:
    rule = await get_rule(session, rule_id)
    sent = data.model_fields_set
    if data.name is not None and data.name != rule.name:
        await _refuse_taken(session, data.name, except_id=rule.id)
        rule.name = data.name
    for field in ("description", "kind", "severity", "enabled"):
        if field in sent and getattr(data, field) is not None:
            setattr(rule, field, getattr(data, field))
    if sent & {"pattern", "regex", "section"}:
        _set_patterns(
            rule,
            data.pattern if data.pattern is not None else rule.pattern,
            data.regex if data.regex is not None else rule.is_regex,
            data.section if "section" in sent else rule.section,
        )
    if data.platforms is not None:
        rule.platforms = _checked_platforms(catalog, data.platforms)
    if data.tags is not None:
        await repository.set_rule_tags(session, rule.id, await _tag_ids(session, data.tags))
    rule.updated_at = utc_now()
    await session.flush()
    return rule


async def delete_rule(session: AsyncSession, rule_id: UUID) -> str:
    rule = await get_rule(session, rule_id)
    await session.delete(rule)
    await session.flush()
    return rule.name


def _set_patterns(rule: ComplianceRule, pattern: str, is_regex: bool, section: str | None) -> None:
    try:
        rule.pattern = (
            checked_regex(pattern, "pattern") if is_regex else checked_line(pattern, "pattern")
        )
        rule.section = None if section is None else checked_regex(section, "section")
    except BadPattern as error:
        raise InvalidInput(str(error)) from error
    rule.is_regex = is_regex


def _checked_platforms(catalog: DriverCatalog, platforms: list[str]) -> list[str]:
    supported = platform_names(catalog)
    unknown = [p for p in platforms if p not in supported]
    if unknown:
        raise InvalidInput(
            f"platforms: no driver for {', '.join(unknown)} (supported: {', '.join(supported)})"
        )
    return sorted(set(platforms))


async def _tag_ids(session: AsyncSession, names: list[Name]) -> list[UUID]:
    found = await repository.tag_ids_named(session, list(names))
    missing = sorted(set(names) - set(found))
    if missing:
        raise InvalidInput(f"tags: no tag named {', '.join(missing)}")
    return list(found.values())


async def _refuse_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> None:
    if await repository.name_taken(session, name, except_id):
        raise Conflict(f"a compliance rule named '{name}' already exists")


def evaluation_out(evaluation: ComplianceEvaluation, hostname: str) -> EvaluationOut:
    return EvaluationOut(
        id=evaluation.id,
        device_id=evaluation.device_id,
        hostname=hostname,
        commit=evaluation.commit,
        evaluated_at=evaluation.evaluated_at,
        check_id=evaluation.check_id,
        status=evaluation.status,
        worst_severity=evaluation.worst_severity,
        failed_rules=evaluation.failed_rules,
        results=[RuleResult.model_validate(result) for result in evaluation.results],
    )


async def summary(session: AsyncSession) -> ComplianceSummary:
    current = await repository.current_evaluations(session)
    rules = await repository.list_rules(session)
    counts = {
        rule.id: RuleCounts(
            rule_id=rule.id,
            rule_name=rule.name,
            severity=rule.severity,
            passed=0,
            failed=0,
            errors=0,
        )
        for rule in rules
    }
    for evaluation, _ in current:
        for result in evaluation.results:
            tally = counts.get(UUID(result["rule_id"]))
            if tally is not None:
                field = {"passed": "passed", "failed": "failed", "error": "errors"}[
                    result["status"]
                ]
                setattr(tally, field, getattr(tally, field) + 1)
    devices = [
        DeviceStanding(
            device_id=evaluation.device_id,
            hostname=hostname,
            commit=evaluation.commit,
            evaluated_at=evaluation.evaluated_at,
            status=evaluation.status,
            worst_severity=evaluation.worst_severity,
            failed_rules=evaluation.failed_rules,
        )
        for evaluation, hostname in current
    ]
    devices.sort(
        key=lambda d: (_WORST_FIRST[d.status], _SEVERITY_RANK[d.worst_severity], d.hostname)
    )
    return ComplianceSummary(rules=list(counts.values()), devices=devices)


async def failing_devices(session: AsyncSession, rule_id: UUID) -> list[FailingDevice]:
    await get_rule(session, rule_id)
    failing = [
        FailingDevice(
            device_id=evaluation.device_id,
            hostname=hostname,
            commit=evaluation.commit,
            evaluated_at=evaluation.evaluated_at,
            details=result["details"],
            more_details=result["more_details"],
        )
        for evaluation, hostname in await repository.current_evaluations(session)
        for result in evaluation.results
        if result["rule_id"] == str(rule_id) and result["status"] == "failed"
    ]
    return sorted(failing, key=lambda device: device.hostname)


async def device_history(session: AsyncSession, device_id: UUID, limit: int) -> list[EvaluationOut]:
    return [
        evaluation_out(evaluation, hostname)
        for evaluation, hostname in await repository.evaluations_of(session, device_id, limit)
    ]


async def device_current(session: AsyncSession, device_id: UUID) -> EvaluationOut:
    newest = await device_history(session, device_id, 1)
    if not newest:
        raise NotFound(f"device {device_id} has no compliance evaluation yet")
    return newest[0]
