"""Configs as files through the api, with a real gitkeeper (its reader on a temp repository) on the
real NATS and PostgreSQL: a version's text and headers, the tree at a point in time as a .tar.gz,
audit entries, 404s and sign-in."""

import asyncio
import io
import tarfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import AsyncClient
from netraven_api.configs.downloads import safe_name
from netraven_gitkeeper.config_repo import ConfigRepository, config_path
from netraven_gitkeeper.handlers import register_handlers
from netraven_gitkeeper.reader import ConfigReader
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.events.base import utc_now
from netraven_shared.messaging import build_broker
from netraven_shared.settings import NetRavenSettings

from tests.api.audit_entries import newest
from tests.fixtures.factories import create_device, unique
from tests.fixtures.infra import Infra
from tests.gitkeeper.backups import inline_backup, store

OLD_TEXT = "hostname old\ninterface Gi0/1\n description before\n"
NEW_TEXT = "hostname new\ninterface Gi0/1\n description after\n"
ONE_GIT_SECOND = 1.1  # git dates commits to the second


@pytest.fixture
async def writer(infra: Infra, sessions, tmp_path: Path) -> AsyncIterator[ConfigWriter]:
    """A gitkeeper answering the config RPCs from a fresh repository; the writer stores into it."""
    repo = ConfigRepository(tmp_path / "repo")
    gitkeeper = build_broker(NetRavenSettings(**infra.nats_settings("gitkeeper")), "gitkeeper")
    register_handlers(gitkeeper, ConfigReader(repo, sessions, gitkeeper))
    await gitkeeper.start()
    yield ConfigWriter(repo, sessions)
    await gitkeeper.stop()


@pytest.fixture
async def two_versions(admin: AsyncClient, sessions, writer: ConfigWriter) -> dict:
    """A device stored twice, a few seconds apart, and a time between the two."""
    device = await create_device(admin, 2650, unique("dl"))
    old = (await store(writer, [await inline_backup(sessions, device, OLD_TEXT)]))[0]
    await asyncio.sleep(ONE_GIT_SECOND)
    between = utc_now()
    await asyncio.sleep(ONE_GIT_SECOND)
    new = (await store(writer, [await inline_backup(sessions, device, NEW_TEXT)]))[0]
    return {"device": device, "old": old.commit, "new": new.commit, "between": between}


def files_in(tar_gz: bytes) -> dict[str, str]:
    with tarfile.open(fileobj=io.BytesIO(tar_gz), mode="r:gz") as archive:
        return {
            member.name: archive.extractfile(member).read().decode()  # type: ignore[union-attr]
            for member in archive.getmembers()
            if member.isfile()
        }


class TestVersionDownload:
    async def test_a_version_is_its_text_as_an_attachment_named_by_host_and_commit(
        self, viewer: AsyncClient, admin: AsyncClient, two_versions: dict
    ) -> None:
        device, old = two_versions["device"], two_versions["old"]

        response = await viewer.get(f"/api/devices/{device['id']}/configs/{old}/download")

        assert response.status_code == 200, response.text
        assert response.text == OLD_TEXT
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.headers["content-disposition"] == (
            f'attachment; filename="{device["hostname"]}-{old[:8]}.cfg"'
        )
        entry = await newest(admin, "config.download", object_id=device["id"])
        assert entry["actor_name"] == "viewer"
        assert entry["changes"] == {"commit": old}

    async def test_latest_is_the_newest_version(
        self, viewer: AsyncClient, two_versions: dict
    ) -> None:
        device, new = two_versions["device"], two_versions["new"]

        response = await viewer.get(f"/api/devices/{device['id']}/configs/latest/download")

        assert response.text == NEW_TEXT
        assert f"-{new[:8]}.cfg" in response.headers["content-disposition"]

    async def test_unknown_commit_and_device_without_configs_are_not_found(
        self, viewer: AsyncClient, admin: AsyncClient, two_versions: dict
    ) -> None:
        device = two_versions["device"]
        empty = await create_device(admin, 2651, unique("dl"))

        unknown = await viewer.get(f"/api/devices/{device['id']}/configs/abcdef0/download")
        nothing = await viewer.get(f"/api/devices/{empty['id']}/configs/latest/download")

        assert unknown.status_code == 404
        assert nothing.status_code == 404
        assert "no stored config yet" in nothing.json()["error"]

    async def test_not_signed_in_is_refused(
        self, anonymous: AsyncClient, two_versions: dict
    ) -> None:
        device = two_versions["device"]
        url = f"/api/devices/{device['id']}/configs/latest/download"
        assert (await anonymous.get(url)).status_code == 401
        assert (await anonymous.get("/api/configs/archive")).status_code == 401


class TestArchive:
    async def test_the_archive_holds_each_config_as_it_was_at_that_time(
        self, viewer: AsyncClient, admin: AsyncClient, two_versions: dict
    ) -> None:
        path = f"configs/{config_path(two_versions['device']['hostname'])}"
        between = two_versions["between"]

        older = await viewer.get("/api/configs/archive", params={"at": between.isoformat()})
        now = await viewer.get("/api/configs/archive")

        assert older.status_code == 200, older.text
        assert older.headers["content-type"] == "application/gzip"
        stamp = between.strftime("%Y%m%dT%H%M%SZ")
        assert older.headers["content-disposition"] == (
            f'attachment; filename="netraven-configs-{stamp}.tar.gz"'
        )
        assert files_in(older.content) == {path: OLD_TEXT}
        assert files_in(now.content) == {path: NEW_TEXT}
        entry = await newest(admin, "config.archive")
        assert entry["actor_name"] == "viewer"
        assert entry["changes"]["commit"] == two_versions["new"]

    async def test_a_time_before_the_first_commit_is_not_found(
        self, viewer: AsyncClient, two_versions: dict
    ) -> None:
        response = await viewer.get("/api/configs/archive", params={"at": "2000-01-01T00:00:00Z"})

        assert response.status_code == 404
        assert "no commit at or before 2000-01-01" in response.json()["error"]

    @pytest.mark.parametrize("at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-14:00"])
    async def test_times_out_of_any_range_are_answered_not_crashed_on(
        self, viewer: AsyncClient, two_versions: dict, at: str
    ) -> None:
        response = await viewer.get("/api/configs/archive", params={"at": at})

        assert response.status_code == (404 if at.startswith("0001") else 200)


class TestFilenames:
    @pytest.mark.parametrize(
        ("hostname", "safe"),
        [
            ("core-sw-01.example.net", "core-sw-01.example.net"),
            ('a"b\\c/d e', "a_b_c_d_e"),
            ("../../etc/passwd", "_.._etc_passwd"),
            ("rtr\r\nX-Injected: 1", "rtr_X-Injected_1"),
            ("...", "device"),
        ],
    )
    def test_any_hostname_makes_a_safe_filename(self, hostname: str, safe: str) -> None:
        assert safe_name(hostname) == safe
