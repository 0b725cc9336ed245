"""Evaluating one device's config version: read its text from gitkeeper, apply the enabled rules in
the device's scope, record the evaluation, and say what to announce.

The caller owns the transaction and publishes the returned `ComplianceViolated` only after it
commits. Matching runs in a thread: each rule has a time budget, but a fleet of rules must not hold
the event loop.
"""

import asyncio
from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

from faststream.nats import NatsBroker
from netraven_shared.db.models import ComplianceEvaluation, ComplianceRule
from netraven_shared.events import ConfigChanged
from netraven_shared.events.base import fitted
from netraven_shared.events.compliance import MAX_VIOLATIONS, ComplianceViolated, RuleViolation
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.compliance import repository
from netraven_api.compliance.evaluator import Outcome, Rule, evaluate, in_scope
from netraven_api.configs.service import read_text

SEVERITY_ORDER = ("info", "warning", "critical")


@dataclass(frozen=True)
class Evaluated:
    evaluation: ComplianceEvaluation
    hostname: str
    violated: ComplianceViolated | None


async def evaluate_version(
    session: AsyncSession,
    broker: NatsBroker,
    device_id: UUID,
    commit: str,
    timeout: float,
    check_id: UUID | None = None,
    cause: ConfigChanged | None = None,
    enabled: list[Rule] | None = None,
) -> Evaluated | None:
    """Evaluate `commit` of the device against the `enabled` rules (read here when not given) in
    its scope, and add the evaluation; None when the device is gone. The violation a `cause` leads
    to keeps its correlation id and has an id derived from it, so a redelivered change is announced
    once."""
    found = await repository.device_with_tags(session, device_id)
    if found is None:
        return None
    device, tags = found
    if enabled is None:
        enabled = await enabled_rules(session)
    rules = [rule for rule in enabled if in_scope(rule, device.device_type, tags)]
    outcomes = (
        await asyncio.to_thread(
            evaluate, rules, await read_text(broker, device_id, commit, timeout)
        )
        if rules
        else []
    )
    failed = [o for o in outcomes if o.status == "failed"]
    worst = max((o.rule.severity for o in failed), key=SEVERITY_ORDER.index, default=None)
    evaluation = ComplianceEvaluation(
        device_id=device_id,
        commit=commit,
        check_id=check_id,
        status="noncompliant" if failed else "compliant",
        worst_severity=worst,
        failed_rules=len(failed),
        results=[_result(o) for o in outcomes],
    )
    session.add(evaluation)
    await session.flush()
    violated = None
    if failed and worst is not None:
        violated = ComplianceViolated(
            device_id=device_id,
            hostname=device.hostname,
            commit=commit,
            severity=worst,
            violations=[_violation(o) for o in failed[:MAX_VIOLATIONS]],
        )
        if cause is not None:
            violated.correlation_id = cause.correlation_id
            violated.event_id = uuid5(NAMESPACE_URL, f"netraven:noncompliant:{cause.event_id}")
    return Evaluated(evaluation, device.hostname, violated)


async def evaluate_change(
    session: AsyncSession,
    broker: NatsBroker,
    change: ConfigChanged,
    timeout: float,
    enabled: list[Rule],
) -> Evaluated | None:
    """Evaluate the version a `ConfigChanged` announces, unless the device has a newer one by now
    (a redelivery, or the stream's history replayed to a new consumer): that one has its own
    event, and an older version must never become the device's current evaluation."""
    newest = await repository.newest_commit(session, change.device_id)
    if newest != change.new_commit:
        return None
    return await evaluate_version(
        session, broker, change.device_id, change.new_commit, timeout, cause=change, enabled=enabled
    )


async def enabled_rules(session: AsyncSession) -> list[Rule]:
    stored = await repository.list_rules(session, enabled_only=True)
    tag_names = await repository.rule_tag_names(session, [r.id for r in stored])
    return [_rule(r, tag_names[r.id]) for r in stored]


def _rule(stored: ComplianceRule, tags: list[str]) -> Rule:
    return Rule(
        id=stored.id,
        name=stored.name,
        kind=stored.kind,  # type: ignore[arg-type]
        pattern=stored.pattern,
        is_regex=stored.is_regex,
        section=stored.section,
        severity=stored.severity,
        platforms=frozenset(stored.platforms),
        tags=frozenset(tags),
    )


def _result(outcome: Outcome) -> dict[str, object]:
    return {
        "rule_id": str(outcome.rule.id),
        "rule_name": outcome.rule.name,
        "severity": outcome.rule.severity,
        "status": outcome.status,
        "details": list(outcome.details),
        "more_details": outcome.more_details,
    }


def _violation(outcome: Outcome) -> RuleViolation:
    shown = "; ".join(outcome.details)
    if outcome.more_details:
        shown += f"; and {outcome.more_details} more"
    return RuleViolation(
        rule_id=outcome.rule.id,
        rule_name=outcome.rule.name,
        severity=outcome.rule.severity,
        detail=fitted(shown or "failed"),
    )
