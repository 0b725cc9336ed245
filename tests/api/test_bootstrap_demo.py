"""`make run`'s registration of the demo lab's extras (bootstrap_demo), fed what a real demo lab
writes: the key credential holds the key file's key and never shows it, the hidden device names the
bastion, and a second registration adds nothing and only moves what moved."""

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import AsyncClient
from netraven_api.bootstrap_demo import register_demo
from netraven_api.config import ApiSettings
from netraven_api.unit_of_work import unit_of_work
from netraven_lab.demo import DemoLab, LabLogin
from netraven_shared.drivers.catalog import load_catalog_logging_errors
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.api import CIPHER
from tests.fixtures.factories import unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
async def registration(tmp_path: Path) -> AsyncIterator[dict]:
    """A real demo lab's registration, every name made unique to this test."""
    login = LabLogin(LAB_USERNAME, LAB_PASSWORD, LAB_ENABLE, config_bytes=512)
    async with DemoLab(tmp_path, login, base_port=0) as demo:
        written = demo.registration("127.0.0.1")
    suffix = unique("")
    text = json.dumps(written)
    for name in ["lab-key", "lab-bastion", *(d["hostname"] for d in written["devices"])]:
        text = text.replace(f'"{name}"', f'"{name}{suffix}"')
    yield json.loads(text)


async def register(
    sessions: async_sessionmaker[AsyncSession], settings: ApiSettings, registration: dict
) -> tuple[int, int]:
    catalog = load_catalog_logging_errors(settings.drivers_dir)
    async with unit_of_work(sessions) as work:
        return await register_demo(work.session, registration, CIPHER, catalog, unique("lab"))


async def test_registers_every_device_once_and_moves_the_bastion(
    admin: AsyncClient, sessions, api_settings: ApiSettings, registration: dict
) -> None:
    assert await register(sessions, api_settings, registration) == (6, 6)
    registration["jump_hosts"][0]["port"] += 1
    assert await register(sessions, api_settings, registration) == (6, 0)

    jump = registration["jump_hosts"][0]
    found = [j for j in (await admin.get("/api/jump-hosts")).json() if j["name"] == jump["name"]]
    assert len(found) == 1
    assert found[0]["port"] == jump["port"]
    assert found[0]["credential"]["name"] == jump["credential"]
    behind = next(d["hostname"] for d in registration["devices"] if d["jump_host"])
    assert found[0]["devices"] == [behind]


async def test_the_key_credential_holds_the_key_and_never_shows_it(
    admin: AsyncClient, sessions, api_settings: ApiSettings, registration: dict
) -> None:
    await register(sessions, api_settings, registration)

    entry = registration["credentials"][0]
    response = await admin.get("/api/credentials")
    credential = next(c for c in response.json() if c["name"] == entry["name"])
    assert credential["auth_methods"] == ["key"]
    assert credential["private_key_type"] == "ssh-ed25519"
    key_text = Path(entry["private_key_file"]).read_text()
    key_body = "".join(key_text.splitlines()[1:-1])
    assert key_body[:40] not in response.text
