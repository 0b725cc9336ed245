"""Notification rules: which events (kind, severity, device tags) go to which channel.

A rule without tags matches every device. The rule the api makes for a channel from
NETRAVEN_NOTIFY_URLS, like its channel, changes only through that setting; no other rule may use
such a channel either, so removing the URL removes everything it brought.
"""

from uuid import UUID

from netraven_shared.db.models import NotificationRule, Tag
from netraven_shared.errors import Conflict, InvalidInput, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.notifications import repository
from netraven_api.notifications.schemas import (
    NotificationRuleCreate,
    NotificationRuleOut,
    NotificationRuleUpdate,
)
from netraven_api.tags.repository import tags_named


async def rule_outs(
    session: AsyncSession, rules: list[NotificationRule]
) -> list[NotificationRuleOut]:
    from_environment = await repository.environment_channel_ids(
        session, {rule.channel_id for rule in rules}
    )
    return [
        NotificationRuleOut(
            id=rule.id,
            name=rule.name,
            channel_id=rule.channel_id,
            event_kinds=rule.event_kinds,
            min_severity=rule.min_severity,
            tags=sorted(tag.name for tag in rule.tags),
            enabled=rule.enabled,
            from_environment=rule.channel_id in from_environment,
            created_at=rule.created_at,
        )
        for rule in rules
    ]


async def rule_out(session: AsyncSession, rule: NotificationRule) -> NotificationRuleOut:
    return (await rule_outs(session, [rule]))[0]


async def list_rules(session: AsyncSession) -> list[NotificationRuleOut]:
    return await rule_outs(session, await repository.list_rules(session))


async def get_rule(session: AsyncSession, rule_id: UUID) -> NotificationRule:
    rule = await repository.get_rule(session, rule_id)
    if rule is None:
        raise NotFound(f"no notification rule with id {rule_id}")
    return rule


async def _require_api_channel(session: AsyncSession, channel_id: UUID) -> None:
    channel = await repository.get_channel(session, channel_id)
    if channel is None:
        raise InvalidInput(f"channel_id: no notification channel with id {channel_id}")
    if channel.from_environment:
        raise Conflict(
            f"the channel '{channel.name}' comes from NETRAVEN_NOTIFY_URLS and has its rule from "
            "there (NETRAVEN_NOTIFY_MIN_SEVERITY); route to a channel made in the api instead"
        )


async def _refuse_environment(session: AsyncSession, rule: NotificationRule) -> None:
    if await repository.environment_channel_ids(session, {rule.channel_id}):
        raise Conflict(
            f"the rule '{rule.name}' comes from NETRAVEN_NOTIFY_URLS: change that setting "
            "(or NETRAVEN_NOTIFY_MIN_SEVERITY) and restart the api"
        )


async def _refuse_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> None:
    if await repository.rule_name_taken(session, name, except_id):
        raise Conflict(f"a notification rule named '{name}' already exists")


async def _tags(session: AsyncSession, names: list[str]) -> list[Tag]:
    # tags_named gives `default` for no names; a rule without tags matches every device instead.
    return await tags_named(session, names) if names else []


async def create_rule(session: AsyncSession, data: NotificationRuleCreate) -> NotificationRule:
    await _refuse_taken(session, data.name)
    await _require_api_channel(session, data.channel_id)
    rule = NotificationRule(
        name=data.name,
        channel_id=data.channel_id,
        event_kinds=sorted(set(data.event_kinds)),
        min_severity=data.min_severity,
        enabled=data.enabled,
        tags=await _tags(session, data.tags),
    )
    session.add(rule)
    await session.flush()
    return rule


async def update_rule(
    session: AsyncSession, rule_id: UUID, data: NotificationRuleUpdate
) -> NotificationRule:
    rule = await get_rule(session, rule_id)
    await _refuse_environment(session, rule)
    if data.name is not None and data.name != rule.name:
        await _refuse_taken(session, data.name, except_id=rule.id)
        rule.name = data.name
    if data.channel_id is not None:
        await _require_api_channel(session, data.channel_id)
        rule.channel_id = data.channel_id
    if data.event_kinds is not None:
        rule.event_kinds = sorted(set(data.event_kinds))
    if data.min_severity is not None:
        rule.min_severity = data.min_severity
    if data.tags is not None:
        rule.tags = await _tags(session, data.tags)
    if data.enabled is not None:
        rule.enabled = data.enabled
    await session.flush()
    return rule


async def delete_rule(session: AsyncSession, rule_id: UUID) -> str:
    rule = await get_rule(session, rule_id)
    await _refuse_environment(session, rule)
    await session.delete(rule)
    await session.flush()
    return rule.name
