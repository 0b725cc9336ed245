from datetime import datetime
from uuid import UUID

from netraven_shared.db.models import (
    ComplianceCheck,
    ComplianceEvaluation,
    ComplianceRule,
    ConfigVersion,
    Device,
    Tag,
    compliance_rule_tags,
    device_tags,
)
from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession


async def list_rules(session: AsyncSession, enabled_only: bool = False) -> list[ComplianceRule]:
    statement = select(ComplianceRule).order_by(ComplianceRule.name)
    if enabled_only:
        statement = statement.where(ComplianceRule.enabled)
    return list(await session.scalars(statement))


async def get_rule(session: AsyncSession, rule_id: UUID) -> ComplianceRule | None:
    return await session.get(ComplianceRule, rule_id)


async def name_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> bool:
    statement = select(ComplianceRule.id).where(ComplianceRule.name == name)
    if except_id is not None:
        statement = statement.where(ComplianceRule.id != except_id)
    return await session.scalar(statement) is not None


async def tag_ids_named(session: AsyncSession, names: list[str]) -> dict[str, UUID]:
    """The existing tags among `names` (never creates one)."""
    rows = await session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(names)))
    return {name: tag_id for name, tag_id in rows}


async def set_rule_tags(session: AsyncSession, rule_id: UUID, tag_ids: list[UUID]) -> None:
    await session.execute(
        delete(compliance_rule_tags).where(compliance_rule_tags.c.compliance_rule_id == rule_id)
    )
    if tag_ids:
        await session.execute(
            insert(compliance_rule_tags),
            [{"compliance_rule_id": rule_id, "tag_id": tag_id} for tag_id in tag_ids],
        )


async def rule_names_scoped_by_tag(session: AsyncSession, tag_id: UUID) -> list[str]:
    return list(
        await session.scalars(
            select(ComplianceRule.name)
            .join(
                compliance_rule_tags,
                compliance_rule_tags.c.compliance_rule_id == ComplianceRule.id,
            )
            .where(compliance_rule_tags.c.tag_id == tag_id)
            .order_by(ComplianceRule.name)
        )
    )


async def rule_tag_names(session: AsyncSession, rule_ids: list[UUID]) -> dict[UUID, list[str]]:
    names: dict[UUID, list[str]] = {rule_id: [] for rule_id in rule_ids}
    rows = await session.execute(
        select(compliance_rule_tags.c.compliance_rule_id, Tag.name)
        .join(Tag, Tag.id == compliance_rule_tags.c.tag_id)
        .where(compliance_rule_tags.c.compliance_rule_id.in_(rule_ids))
        .order_by(Tag.name)
    )
    for rule_id, name in rows:
        names[rule_id].append(name)
    return names


async def device_with_tags(
    session: AsyncSession, device_id: UUID
) -> tuple[Device, set[str]] | None:
    device = await session.get(Device, device_id)
    if device is None:
        return None
    tags = await session.scalars(
        select(Tag.name)
        .join(device_tags, device_tags.c.tag_id == Tag.id)
        .where(device_tags.c.device_id == device_id)
    )
    return device, set(tags)


def _newest_versions() -> Select[UUID, str]:
    return (
        select(ConfigVersion.device_id, ConfigVersion.commit)
        .where(ConfigVersion.missing_from_repo.is_(False))
        .ext(distinct_on(ConfigVersion.device_id))
        .order_by(
            ConfigVersion.device_id, ConfigVersion.committed_at.desc(), ConfigVersion.id.desc()
        )
    )


async def newest_commits(session: AsyncSession) -> list[tuple[UUID, str]]:
    """Each device's newest stored config version."""
    return [(device_id, commit) for device_id, commit in await session.execute(_newest_versions())]


async def newest_commit(session: AsyncSession, device_id: UUID) -> str | None:
    row = (
        await session.execute(_newest_versions().where(ConfigVersion.device_id == device_id))
    ).first()
    return None if row is None else row.commit


def _with_hostname() -> Select[ComplianceEvaluation, str]:
    return select(ComplianceEvaluation, Device.hostname).join(
        Device, Device.id == ComplianceEvaluation.device_id
    )


async def current_evaluations(session: AsyncSession) -> list[tuple[ComplianceEvaluation, str]]:
    """Each device's newest evaluation, with its hostname."""
    rows = await session.execute(
        _with_hostname()
        .ext(distinct_on(ComplianceEvaluation.device_id))
        .order_by(ComplianceEvaluation.device_id, ComplianceEvaluation.evaluated_at.desc())
    )
    return [(evaluation, hostname) for evaluation, hostname in rows]


async def evaluations_of(
    session: AsyncSession, device_id: UUID, limit: int
) -> list[tuple[ComplianceEvaluation, str]]:
    """A device's evaluations, newest first."""
    rows = await session.execute(
        _with_hostname()
        .where(ComplianceEvaluation.device_id == device_id)
        .order_by(ComplianceEvaluation.evaluated_at.desc())
        .limit(limit)
    )
    return [(evaluation, hostname) for evaluation, hostname in rows]


async def get_check(session: AsyncSession, check_id: UUID) -> ComplianceCheck | None:
    return await session.get(ComplianceCheck, check_id)


async def count_check_progress(
    session: AsyncSession, check_id: UUID, noncompliant: bool, error: bool
) -> None:
    await session.execute(
        update(ComplianceCheck)
        .where(ComplianceCheck.id == check_id)
        .values(
            evaluated=ComplianceCheck.evaluated + 1,
            noncompliant=ComplianceCheck.noncompliant + int(noncompliant),
            errors=ComplianceCheck.errors + int(error),
        )
    )


async def finish_check(session: AsyncSession, check_id: UUID, at: datetime) -> None:
    await session.execute(
        update(ComplianceCheck).where(ComplianceCheck.id == check_id).values(finished_at=at)
    )
