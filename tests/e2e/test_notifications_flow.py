"""Notifications across the running stack (the notifier as its own process, its own bus identity
and database login): a lab device's config changes and a signed webhook with the diff and an
e-mail arrive within seconds; a device that keeps failing sends one message, then one recovery; a
compliance violation found by the api arrives; "send a test" goes api -> notifier -> webhook."""

import asyncio
import hashlib
import hmac
import time
from collections.abc import Callable
from uuid import UUID

import nats
import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.events import subjects
from netraven_shared.events.notification_rpc import NotificationTestReply, SendTestNotification

from tests.e2e.runs import back_up
from tests.fixtures.factories import create_credential, create_device, tag_named, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.fixtures.notification_receivers import (
    HttpReceiver,
    Received,
    SmtpReceiver,
    http_receiver,
    smtp_receiver,
    text_of,
)
from tests.notifier.rows import add_channel

pytestmark = pytest.mark.e2e
SECRET = "e2e-webhook-secret"
CHANGED = "ntp server 10.99.0.9 key 1"
# the notifier reuses channels and rules this long (NETRAVEN_ROUTING_CACHE_SECONDS)
ROUTING_CACHE_SECONDS = 5
# and the worker its tag set's credentials (NETRAVEN_CREDENTIAL_CACHE_SECONDS)
WORKER_CREDENTIAL_CACHE_SECONDS = 5


async def arrived(
    receiver: HttpReceiver, matches: Callable[[Received], bool], timeout: float = 10
) -> Received:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := [request for request in receiver.received if matches(request)]:
            return found[0]
        await asyncio.sleep(0.2)
    raise AssertionError(f"no matching notification within {timeout} s")


def signed(request: Received) -> bool:
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers["X-NetRaven-Signature"], f"sha256={expected}")


@pytest.fixture
async def receivers(infra: Infra, stack_admin: AsyncClient, stack):
    """A tag, and for devices carrying it a signed webhook (every kind) and an e-mail channel
    (config changes) through a local SMTP server."""
    tag = unique("notify")
    await stack_admin.post("/api/tags", json={"name": tag})
    tag_id = UUID((await tag_named(stack_admin, tag))["id"])
    engine = create_engine(infra.database_url)
    sessions = session_factory(engine)
    with http_receiver() as webhook, smtp_receiver() as smtp:
        await add_channel(sessions, webhook.url, secret=SECRET, tag_ids=(tag_id,))
        await add_channel(
            sessions,
            smtp.apprise_url(),
            kind="apprise",
            event_kinds=("config_changed",),
            tag_ids=(tag_id,),
        )
        await asyncio.sleep(ROUTING_CACHE_SECONDS + 0.5)
        yield tag, webhook, smtp
    await engine.dispose()


async def test_a_config_change_arrives_signed_and_by_mail(
    stack_admin: AsyncClient, lab: Lab, receivers: tuple[str, HttpReceiver, SmtpReceiver]
) -> None:
    tag, webhook, smtp = receivers
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    profile = lab.profiles[2]
    device = await create_device(stack_admin, profile.port, tag)
    assert (await back_up(stack_admin, device["id"]))["status"] == "succeeded"
    lab.set_config(
        profile.hostname, profile.config_text.replace("ntp server 10.99.0.1 key 1", CHANGED)
    )
    try:
        assert (await back_up(stack_admin, device["id"]))["status"] == "succeeded"
        backed_up = time.monotonic()
    finally:
        lab.set_config(profile.hostname, profile.config_text)

    request = await arrived(webhook, lambda r: f"+{CHANGED}" in r.json().get("diff", ""))
    assert signed(request)
    assert request.headers["X-NetRaven-Event"] == "config_changed"
    assert request.json()["device"] == {"id": device["id"], "hostname": device["hostname"]}
    while not any(CHANGED in text_of(mail) for mail in smtp.messages):
        assert time.monotonic() - backed_up < 10, "no e-mail with the change within 10 s"
        await asyncio.sleep(0.2)


async def test_a_failing_device_sends_one_message_then_one_recovery(
    stack_admin: AsyncClient, lab: Lab, receivers: tuple[str, HttpReceiver, SmtpReceiver]
) -> None:
    tag, webhook, _ = receivers
    await create_credential(stack_admin, tag, "not-the-password", "not-the-secret")
    device = await create_device(stack_admin, lab.profiles[1].port, tag)
    for _ in range(2):
        assert (await back_up(stack_admin, device["id"]))["status"] == "failed"
    await arrived(webhook, lambda r: r.json()["event"] == "backup_failed")

    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE, priority=1)
    await asyncio.sleep(WORKER_CREDENTIAL_CACHE_SECONDS + 0.5)
    run = await back_up(stack_admin, device["id"])
    assert run["status"] == "succeeded", run["results"]
    recovery = await arrived(webhook, lambda r: r.json()["event"] == "backup_recovered")
    assert signed(recovery)
    assert recovery.json()["failures"] == 2
    assert "recovered after 2 failure(s)" in recovery.json()["body"]
    await asyncio.sleep(1)
    events = [r.json()["event"] for r in webhook.received if r.json()["event"] != "config_changed"]
    assert events == ["backup_failed", "backup_recovered"]


async def test_the_api_identity_asks_the_running_notifier_to_send_a_test(
    infra: Infra, stack, receivers: tuple[str, HttpReceiver, SmtpReceiver]
) -> None:
    _, webhook, _ = receivers
    engine = create_engine(infra.database_url)
    channel = await add_channel(session_factory(engine), webhook.url, secret=SECRET, event_kinds=())
    await engine.dispose()
    client = await nats.connect(**infra.nats_options("api"))
    try:
        request = SendTestNotification(channel_id=channel, requested_by="admin")
        answer = await client.request(
            subjects.SEND_TEST_NOTIFICATION, request.model_dump_json().encode(), timeout=15
        )
    finally:
        await client.close()
    reply = NotificationTestReply.model_validate_json(answer.data)
    assert reply.outcome == "delivered", reply
    test = await arrived(webhook, lambda r: r.json()["event"] == "test", timeout=1)
    assert signed(test)
    assert test.json()["requested_by"] == "admin"


async def test_a_channel_made_in_the_api_sends_a_test_through_the_notifier(
    stack_admin: AsyncClient, stack
) -> None:
    with http_receiver() as webhook:
        created = await stack_admin.post(
            "/api/notifications/channels",
            json={"name": unique("hook"), "kind": "webhook", "url": f"{webhook.url}/in"},
        )
        assert created.status_code == 201, created.text
        channel = created.json()
        answer = await stack_admin.post(f"/api/notifications/channels/{channel['id']}/test")
        assert answer.status_code == 200, answer.text
        assert answer.json()["outcome"] == "delivered"
        (request,) = webhook.received
    expected = hmac.new(channel["hmac_secret"].encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-NetRaven-Signature"] == f"sha256={expected}"
    log = await stack_admin.get(
        "/api/notifications/deliveries", params={"channel_id": channel["id"]}
    )
    assert [entry["status"] for entry in log.json()["items"]] == ["delivered"]


async def test_a_compliance_violation_arrives_with_its_severity(
    stack_admin: AsyncClient, lab: Lab, receivers: tuple[str, HttpReceiver, SmtpReceiver]
) -> None:
    tag, webhook, _ = receivers
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    device = await create_device(stack_admin, lab.profiles[0].port, tag)
    assert (await back_up(stack_admin, device["id"]))["status"] == "succeeded"
    rule = await stack_admin.post(
        "/api/compliance/rules",
        json={
            "name": unique("no-hostname"),
            "kind": "must_not_contain",
            "pattern": "^hostname ",
            "regex": True,
            "tags": [tag],
            "severity": "critical",
        },
    )
    assert rule.status_code == 201, rule.text
    checked = await stack_admin.post(f"/api/devices/{device['id']}/compliance/check")
    assert checked.status_code == 200, checked.text
    assert checked.json()["status"] == "noncompliant", checked.json()
    violation = await arrived(webhook, lambda r: r.json()["event"] == "compliance_violation")
    assert signed(violation)
    assert violation.json()["severity"] == "critical"
    assert violation.json()["device"]["id"] == device["id"]
    assert [v["rule_name"] for v in violation.json()["violations"]] == [rule.json()["name"]]
