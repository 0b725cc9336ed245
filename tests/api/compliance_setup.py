"""What the compliance API tests share: a stand-in for gitkeeper's config-read RPC serving the
texts a test records, the `ComplianceViolated` events seen on the bus, and a tag to scope rules."""

import asyncio
import json
from collections.abc import AsyncIterator
from uuid import UUID

import nats
import pytest
from httpx import AsyncClient
from netraven_shared.events import ConfigChanged, subjects
from netraven_shared.events.config_read import ConfigReadReply, ConfigReadRequest
from netraven_shared.messaging import build_broker
from netraven_shared.settings import NetRavenSettings

from tests.fixtures.factories import create_device, create_tag, record_version, unique
from tests.fixtures.infra import Infra

GOOD = "hostname a\nservice password-encryption\nline vty 0 4\n transport input ssh\n"
BAD = "hostname b\nline vty 0 4\n transport input telnet\n"


@pytest.fixture
async def configs(infra: Infra) -> AsyncIterator[dict[str, str]]:
    """Answers config reads like gitkeeper: the text stored under the commit, else not found."""
    texts: dict[str, str] = {}
    broker = build_broker(NetRavenSettings(**infra.nats_settings()), "tests", "fake-gitkeeper")

    @broker.subscriber(subjects.CONFIG_READ)
    async def read(request: ConfigReadRequest) -> ConfigReadReply:
        text = texts.get(request.commit)
        return ConfigReadReply(found=text is not None, config_text=text)

    await broker.start()
    yield texts
    await broker.stop()


@pytest.fixture
async def violations(infra: Infra) -> AsyncIterator[asyncio.Queue]:
    client = await nats.connect(**infra.nats_options())
    seen: asyncio.Queue = asyncio.Queue()

    async def collect(message) -> None:
        await seen.put(json.loads(message.data))

    await client.subscribe(subjects.COMPLIANCE_VIOLATED, cb=collect)
    yield seen
    await client.close()


@pytest.fixture
async def scope(admin: AsyncClient) -> str:
    name = unique("compliance")
    await create_tag(admin, name)
    return name


async def create_rule(admin: AsyncClient, scope: str, **fields) -> dict:
    body = {
        "name": unique("rule"),
        "kind": "must_not_contain",
        "pattern": r"^transport input .*telnet",
        "regex": True,
        "section": "^line vty",
        "tags": [scope],
        "severity": "critical",
    } | fields
    response = await admin.post("/api/compliance/rules", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def device_with(admin, sessions, configs: dict, scope: str, text: str) -> tuple[dict, str]:
    device = await create_device(admin, 2900, scope)
    commit = await record_version(sessions, device["id"])
    configs[commit] = text
    return device, commit


async def next_violation(seen: asyncio.Queue, device_id: str) -> dict:
    async with asyncio.timeout(10):
        while True:
            event = await seen.get()
            if event["device_id"] == device_id:
                return event


def changed(device: dict, commit: str) -> ConfigChanged:
    return ConfigChanged(
        device_id=UUID(device["id"]),
        hostname=device["hostname"],
        new_commit=commit,
        diff="+ transport input telnet\n",
        changed_lines=1,
    )
