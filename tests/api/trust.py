"""Helpers for device-trust tests: SSH public keys, devices at addresses of their own, the recorder
reporting what a worker saw, and the audit lines the api emits."""

import asyncio
import base64
import os
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

import nats
from httpx import AsyncClient
from netraven_api.runs.handlers import recording
from netraven_shared.events import DeviceBackedUp, DeviceBackupFailed
from netraven_shared.events.logs import LOG_LINE_SUBJECTS, lines_in
from netraven_shared.host_keys import HostKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import create_run, unique
from tests.fixtures.infra import Infra


def _string(value: bytes) -> bytes:
    return len(value).to_bytes(4, "big") + value


def host_key(key_type: str = "ssh-ed25519") -> HostKey:
    """A key in SSH wire format (type, then random key material): what a device would show."""
    blob = _string(key_type.encode()) + _string(
        os.urandom(32 if key_type == "ssh-ed25519" else 256)
    )
    return HostKey(key_type=key_type, public_key=base64.b64encode(blob).decode())


def unique_address() -> str:
    """An address no other test's device has: known_hosts lines match devices by address."""
    return f"10.{random.randint(100, 250)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


async def create_device_at(
    client: AsyncClient, ip_address: str | None = None, port: int = 22, **fields
) -> dict:
    body = {
        "hostname": unique("trust"),
        "ip_address": ip_address or unique_address(),
        "device_type": "cisco_ios",
        "port": port,
    }
    response = await client.post("/api/devices", json=body | fields)
    assert response.status_code == 201, response.text
    return response.json()


async def detail(client: AsyncClient, device: dict) -> dict:
    response = await client.get(f"/api/devices/{device['id']}")
    assert response.status_code == 200, response.text
    return response.json()


async def report_backed_up(
    sessions: async_sessionmaker[AsyncSession],
    device: dict,
    key: HostKey | None,
    credential_id=None,
    **fields,
) -> None:
    run_id = UUID(await create_run(sessions, [device["id"]]))
    event = DeviceBackedUp(
        run_id=run_id,
        device_id=device["id"],
        hostname=device["hostname"],
        device_type="cisco_ios",
        config_text="hostname x\n",
        sha256="c" * 64,
        size_bytes=11,
        collected_at="2026-12-05T10:00:00Z",
        credential_id=credential_id,
        host_key=key,
        **fields,
    )
    await recording(sessions)([event])


async def report_offered(
    sessions: async_sessionmaker[AsyncSession], device: dict, key: HostKey, **fields
) -> None:
    run_id = UUID(await create_run(sessions, [device["id"]]))
    event = DeviceBackupFailed(
        run_id=run_id,
        device_id=device["id"],
        hostname=device["hostname"],
        error="the device offered an untrusted host key",
        attempts=1,
        offered_host_key=key,
        **fields,
    )
    await recording(sessions)([event])


@asynccontextmanager
async def audit_lines(infra: Infra) -> AsyncIterator[list[dict]]:
    """Every operator log line with `extra.audit` published while inside."""
    seen: list[dict] = []
    connection = await nats.connect(**infra.nats_options())

    async def collect(message) -> None:
        for line in lines_in(message.subject, message.data):
            if "audit" in line.extra:
                seen.append(line.model_dump(mode="json"))

    for subject in LOG_LINE_SUBJECTS:
        await connection.subscribe(subject, cb=collect)
    try:
        yield seen
    finally:
        await connection.flush()
        await connection.close()


async def wait_for(lines: list[dict], decision: str, timeout: float = 10) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (found := [line for line in lines if line["extra"]["audit"] == decision]):
        assert asyncio.get_running_loop().time() < deadline, (
            f"no {decision} audit line; saw {lines}"
        )
        await asyncio.sleep(0.05)
    return found[-1]
