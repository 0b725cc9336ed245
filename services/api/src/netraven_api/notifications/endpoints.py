"""Notifications (admins): channels, rules, "send a test", and the notifier's delivery log."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from netraven_shared.crypto import credential_cipher

from netraven_api.audit.changes import summarize
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.deps import Admin, BrokerDep, SessionDep, SettingsDep
from netraven_api.errors import error_responses
from netraven_api.notifications import repository, rules, service
from netraven_api.notifications.schemas import (
    ChannelCreate,
    ChannelCreated,
    ChannelOut,
    ChannelTestOutcome,
    ChannelUpdate,
    DeliveryOut,
    DeliveryPage,
    DeliveryStatus,
    NotificationRuleCreate,
    NotificationRuleOut,
    NotificationRuleUpdate,
)
from netraven_api.notifications.send_test import send_test
from netraven_api.schemas_common import Cursor

router = APIRouter(prefix="/notifications", tags=["notifications"], responses=error_responses(403))
CHANNEL = "notification_channel"
RULE = "notification_rule"


@router.get("/channels", summary="List notification channels, without their targets' secrets")
async def list_channels(session: SessionDep, _: Admin) -> list[ChannelOut]:
    return [service.channel_out(c) for c in await service.list_channels(session)]


@router.post(
    "/channels",
    status_code=201,
    summary="Add a channel (an Apprise URL or a signed webhook); a generated webhook signing key "
    "is returned in this response only",
    responses=error_responses(409),
)
async def create_channel(
    data: ChannelCreate, session: SessionDep, settings: SettingsDep, _: Admin, trail: AuditTrailDep
) -> ChannelCreated:
    channel, generated = await service.create_channel(session, data, credential_cipher(settings))
    trail.record(f"{CHANNEL}.create", CHANNEL, channel.id, changes=summarize(data))
    return service.channel_created(channel, generated)


@router.get("/channels/{channel_id}", summary="Get one channel", responses=error_responses(404))
async def get_channel(channel_id: UUID, session: SessionDep, _: Admin) -> ChannelOut:
    return service.channel_out(await service.get_channel(session, channel_id))


@router.patch(
    "/channels/{channel_id}",
    summary="Change a channel (only the fields sent; without url the target is kept; 409 for a "
    "channel from NETRAVEN_NOTIFY_URLS)",
    responses=error_responses(404, 409),
)
async def update_channel(
    channel_id: UUID,
    data: ChannelUpdate,
    session: SessionDep,
    settings: SettingsDep,
    _: Admin,
    trail: AuditTrailDep,
) -> ChannelOut:
    before = service.channel_out(await service.get_channel(session, channel_id))
    cipher = credential_cipher(settings)
    out = service.channel_out(await service.update_channel(session, channel_id, data, cipher))
    trail.record(f"{CHANNEL}.update", CHANNEL, channel_id, changes=summarize(data, before, out))
    return out


@router.delete(
    "/channels/{channel_id}",
    status_code=204,
    summary="Delete a channel with its rules and delivery log (409 for one from the environment)",
    responses=error_responses(404, 409),
)
async def delete_channel(
    channel_id: UUID, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> Response:
    name = await service.delete_channel(session, channel_id)
    trail.record(f"{CHANNEL}.delete", CHANNEL, channel_id, changes={"name": name})
    return Response(status_code=204)


@router.post(
    "/channels/{channel_id}/test",
    summary="Send a test message through a channel and say how it went (503: no notifier running)",
    responses=error_responses(404, 503),
)
async def test_channel(
    channel_id: UUID,
    session: SessionDep,
    settings: SettingsDep,
    broker: BrokerDep,
    admin: Admin,
    trail: AuditTrailDep,
) -> ChannelTestOutcome:
    channel = await service.get_channel(session, channel_id)
    outcome = await send_test(broker, channel, admin.username, settings.notify_test_timeout_seconds)
    trail.record(
        f"{CHANNEL}.test",
        CHANNEL,
        channel_id,
        outcome="success" if outcome.outcome == "delivered" else "failure",
        detail=outcome.error,
    )
    return outcome


@router.get("/rules", summary="List notification rules")
async def list_rules(session: SessionDep, _: Admin) -> list[NotificationRuleOut]:
    return await rules.list_rules(session)


@router.post("/rules", status_code=201, summary="Add a rule", responses=error_responses(409))
async def create_rule(
    data: NotificationRuleCreate, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> NotificationRuleOut:
    rule = await rules.create_rule(session, data)
    trail.record(f"{RULE}.create", RULE, rule.id, changes=summarize(data))
    return await rules.rule_out(session, rule)


@router.get("/rules/{rule_id}", summary="Get one rule", responses=error_responses(404))
async def get_rule(rule_id: UUID, session: SessionDep, _: Admin) -> NotificationRuleOut:
    return await rules.rule_out(session, await rules.get_rule(session, rule_id))


@router.patch(
    "/rules/{rule_id}",
    summary="Change a rule (only the fields sent; 409 for the rule of an environment channel)",
    responses=error_responses(404, 409),
)
async def update_rule(
    rule_id: UUID, data: NotificationRuleUpdate, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> NotificationRuleOut:
    before = await rules.rule_out(session, await rules.get_rule(session, rule_id))
    out = await rules.rule_out(session, await rules.update_rule(session, rule_id, data))
    trail.record(f"{RULE}.update", RULE, rule_id, changes=summarize(data, before, out))
    return out


@router.delete(
    "/rules/{rule_id}",
    status_code=204,
    summary="Delete a rule (409 for the rule of an environment channel)",
    responses=error_responses(404, 409),
)
async def delete_rule(
    rule_id: UUID, session: SessionDep, _: Admin, trail: AuditTrailDep
) -> Response:
    name = await rules.delete_rule(session, rule_id)
    trail.record(f"{RULE}.delete", RULE, rule_id, changes={"name": name})
    return Response(status_code=204)


@router.get(
    "/deliveries",
    summary="The notifier's delivery log, newest first; follow next_before for older entries",
)
async def list_deliveries(
    session: SessionDep,
    _: Admin,
    channel_id: UUID | None = None,
    status: DeliveryStatus | None = None,
    before: Cursor | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DeliveryPage:
    before_id = int(before) if before is not None else None
    found = await repository.deliveries(session, channel_id, status, before_id, limit)
    return DeliveryPage(
        items=[DeliveryOut.model_validate(d, from_attributes=True) for d in found],
        next_before=str(found[-1].id) if len(found) == limit else None,
    )
