"""Re-redacting the stored configs with today's rules, on a real repository and the real
PostgreSQL."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from uuid import UUID

from httpx import AsyncClient
from netraven_gitkeeper.config_repo import ConfigRepository, config_path, output_path
from netraven_gitkeeper.config_repo_lock import repository_lock
from netraven_gitkeeper.planner import Backup, Fate
from netraven_gitkeeper.redact_history import SUBJECT, redact_history
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.config_transport import sha256_of
from netraven_shared.drivers.catalog import DriverCatalog

from tests.fixtures.factories import create_device
from tests.fixtures.infra import Infra
from tests.gitkeeper.backups import commit_count, inline_backup, latest_version, store

LEAKED = "L34kedTr4pC0mm"
CATALOG = DriverCatalog.load()


def leaky_config(hostname: str) -> str:
    """What a worker with last month's rules stored: the community of an `snmp-server host` line."""
    return (
        f"hostname {hostname}\n!\nsnmp-server host 10.99.0.31 version "
        f"2c {LEAKED}\nsnmp-server community <redacted> RO\n!\nend\n"
    )


def git(repo: ConfigRepository, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo.root, capture_output=True, text=True, check=True
    ).stdout


class TestRedactHistory:
    async def test_commits_the_redacted_config_indexes_it_and_a_second_run_changes_nothing(
        self,
        admin: AsyncClient,
        writer: ConfigWriter,
        repo: ConfigRepository,
        sessions,
    ) -> None:
        leaky, clean = [await create_device(admin, 2900 + n, "gk-redact") for n in range(2)]
        [old, _] = await store(
            writer,
            [
                await inline_backup(sessions, leaky, leaky_config(leaky["hostname"])),
                await inline_backup(sessions, clean, f"hostname {clean['hostname']}\n!\nend\n"),
            ],
        )
        path = config_path(leaky["hostname"])
        lines: list[str] = []

        redacted, skipped = await redact_history(
            repo, sessions, CATALOG, dry_run=False, report=lines.append
        )

        assert [(r.path, r.values) for r in redacted] == [(path, 1)] and skipped == []
        assert commit_count(repo) == 2 and git(repo, "log", "-1", "--format=%s") == SUBJECT + "\n"
        now = repo.read("HEAD", path)
        assert LEAKED not in now and "snmp-server host 10.99.0.31 version 2c <redacted>\n" in now
        assert LEAKED in repo.read(old.commit, path)  # history keeps the leak until it is purged
        assert LEAKED not in "\n".join(lines) and f"{path}: 1 more value(s) redacted" in lines[0]
        async with sessions() as session:
            version = await latest_version(session, UUID(leaky["id"]))
        assert (version.commit, version.sha256, version.run_id, version.changed_lines) == (
            repo.head(),
            sha256_of(now),
            None,
            2,
        )

        again, _ = await redact_history(repo, sessions, CATALOG, dry_run=False, report=lines.append)
        assert again == [] and commit_count(repo) == 2

    async def test_a_dry_run_reports_and_writes_nothing(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2910, "gk-redact")
        await store(
            writer, [await inline_backup(sessions, device, leaky_config(device["hostname"]))]
        )
        head = repo.head()

        redacted, _ = await redact_history(
            repo, sessions, CATALOG, dry_run=True, report=lambda line: None
        )

        assert [(r.path, r.commit) for r in redacted] == [(config_path(device["hostname"]), None)]
        assert repo.head() == head and LEAKED in repo.read("HEAD", config_path(device["hostname"]))

    async def test_an_output_beside_a_config_is_redacted_by_its_device_s_platform(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2910, "gk-redact")
        backup = await inline_backup(sessions, device, f"hostname {device['hostname']}\n")
        with_output = Backup(backup.event, backup.text, (("version", leaky_config("x")),))
        [stored] = await store(writer, [with_output])
        output = output_path(config_path(device["hostname"]), "version")
        assert LEAKED in repo.read("HEAD", output)

        redacted, skipped = await redact_history(
            repo, sessions, CATALOG, dry_run=False, report=lambda line: None
        )

        assert [(r.path, r.values) for r in redacted] == [(output, 1)] and skipped == []
        assert LEAKED not in repo.read("HEAD", output)
        async with sessions() as session:  # the config's newest version is still the backup's
            assert (await latest_version(session, UUID(device["id"]))).commit == stored.commit

    async def test_a_redacted_config_s_version_keeps_its_outputs_digest(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2911, "gk-redact")
        outputs = (("version", "Version 15.2\n"),)
        leaky = await inline_backup(sessions, device, leaky_config(device["hostname"]))
        await store(writer, [Backup(leaky.event, leaky.text, outputs)])

        await redact_history(repo, sessions, CATALOG, dry_run=False, report=lambda line: None)

        async with sessions() as session:
            version = await latest_version(session, UUID(device["id"]))
        redacted = repo.read(version.commit, config_path(device["hostname"]))
        assert LEAKED not in redacted
        clean = await inline_backup(sessions, device, redacted)
        [again] = await store(writer, [Backup(clean.event, clean.text, outputs)])
        assert again.fate is Fate.UNCHANGED and again.commit == version.commit

    async def test_a_file_no_device_owns_is_reported_and_left(
        self, repo: ConfigRepository, sessions
    ) -> None:
        repo.commit({"gone.cfg": leaky_config("gone")}, "a device deleted since\n")

        redacted, skipped = await redact_history(
            repo, sessions, CATALOG, dry_run=False, report=lambda line: None
        )

        assert (
            redacted == [] and [s.path for s in skipped] == ["gone.cfg"] and commit_count(repo) == 1
        )


class TestRepositoryLock:
    async def test_gitkeeper_waits_for_the_lock_before_writing_a_batch(
        self, admin: AsyncClient, writer: ConfigWriter, repo: ConfigRepository, sessions
    ) -> None:
        device = await create_device(admin, 2920, "gk-redact")
        backup = await inline_backup(sessions, device, f"hostname {device['hostname']}\n")
        async with repository_lock(repo.root):
            writing = asyncio.create_task(writer.write([backup]))
            await asyncio.sleep(0.5)
            assert not writing.done() and repo.head() is None
        await asyncio.wait_for(writing, 10)
        assert commit_count(repo) == 1


class TestARenamedDevice:
    async def test_its_old_file_is_redacted_and_its_newest_version_stays_the_file_of_its_name(
        self,
        admin: AsyncClient,
        writer: ConfigWriter,
        repo: ConfigRepository,
        sessions,
    ) -> None:
        device = await create_device(admin, 2930, "gk-redact")
        old_path = config_path(device["hostname"])
        await store(
            writer, [await inline_backup(sessions, device, leaky_config(device["hostname"]))]
        )
        response = await admin.patch(
            f"/api/devices/{device['id']}", json={"hostname": device["hostname"] + "-new"}
        )
        assert response.status_code == 200, response.text
        renamed = response.json()
        [current] = await store(
            writer, [await inline_backup(sessions, renamed, f"hostname {renamed['hostname']}\n")]
        )

        redacted, _ = await redact_history(
            repo, sessions, CATALOG, dry_run=False, report=lambda line: None
        )

        assert [r.path for r in redacted] == [old_path] and LEAKED not in repo.read(
            "HEAD", old_path
        )
        assert "Config: " not in git(repo, "log", "-1", "--format=%B")
        async with sessions() as session:
            assert (await latest_version(session, UUID(device["id"]))).commit == current.commit


class TestTheCommand:
    async def test_python_m_netraven_gitkeeper_redact_history_prints_counts_never_the_secret(
        self,
        admin: AsyncClient,
        writer: ConfigWriter,
        repo: ConfigRepository,
        sessions,
        infra: Infra,
        tmp_path: Path,
    ) -> None:
        device = await create_device(admin, 2940, "gk-redact")
        (tmp_path / "broken.yaml").write_text("platform: acme_os\n")
        await store(
            writer, [await inline_backup(sessions, device, leaky_config(device["hostname"]))]
        )
        env = {
            **os.environ,
            "NETRAVEN_REPO_PATH": str(repo.root),
            "NETRAVEN_DATABASE_URL": infra.database_url,
            "NETRAVEN_DRIVERS_DIR": str(tmp_path),
        }

        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "netraven_gitkeeper", "redact-history"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

        assert done.returncode == 0, done.stderr
        assert (
            f"{config_path(device['hostname'])}: 1 more value(s) redacted (commit " in done.stdout
        )
        assert LEAKED not in done.stdout + done.stderr and commit_count(repo) == 2
        [invalid] = [line for line in done.stdout.splitlines() if "drivers.file_invalid" in line]
        assert str(tmp_path / "broken.yaml") in invalid and "netmiko_device_type" in invalid
