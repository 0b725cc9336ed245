"""SSH key logins against the simulator: the key is offered first, the password if the device
refuses it, and nothing of the worker's own user (~/.ssh, an agent) is ever offered."""

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_worker.collection import AuthenticationFailed, Collected, Login, Target
from netraven_worker.inputs import COLLECTORS, collect_by_input
from netraven_worker.login_key import login_key
from netraven_worker.session import collect_config
from netraven_worker.timeouts import Timeouts

from tests.fixtures.factories import create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.fixtures.ssh_keys import KeyPair
from tests.worker.trust import back_up_once, backup_service

pytestmark = pytest.mark.timeout(120)

AUTHORIZED = KeyPair("ed25519")
CATALOG = DriverCatalog.load()
CISCO_IOS = CATALOG.driver_for("cisco_ios")
TIMEOUTS = Timeouts(connect=10, read=30)


async def lab_of(accepts_passwords: bool, *keys: KeyPair) -> Lab:
    profile = make_lab_profiles(
        1, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE
    )[0]
    return Lab(
        [
            dataclasses.replace(
                profile,
                authorized_keys=tuple(key.public_line for key in keys),
                accepts_passwords=accepts_passwords,
            )
        ]
    )


@pytest.fixture
async def key_only() -> AsyncIterator[Lab]:
    async with await lab_of(False, AUTHORIZED) as lab:
        yield lab


@pytest.fixture
async def key_or_password() -> AsyncIterator[Lab]:
    async with await lab_of(True, AUTHORIZED) as lab:
        yield lab


def login(password: str | None = None, key: KeyPair | None = None, passphrase: str | None = None):
    text = key.private_text("openssh", passphrase) if key else None
    return Login(
        credential_id=uuid4(),
        name="keyed",
        username=LAB_USERNAME,
        password=password,
        enable_secret=LAB_ENABLE,
        private_key=login_key(text, passphrase) if text else None,
    )


async def collect(lab: Lab, *logins: Login):
    device = lab.profiles[0]
    target = Target(device.hostname, lab.host, device.port, CISCO_IOS)
    return await asyncio.to_thread(collect_config, target, list(logins), TIMEOUTS)


class TestKeyOnlyDevice:
    @pytest.mark.parametrize("kind", ["ed25519", "rsa", "ecdsa"])
    async def test_each_key_type_logs_in_without_a_password(self, kind) -> None:
        pair = AUTHORIZED if kind == "ed25519" else KeyPair(kind)
        async with await lab_of(False, pair) as lab:
            collected = await collect(lab, login(key=pair, passphrase="unlock-me"))
            assert f"hostname {lab.profiles[0].hostname}" in collected.raw
            assert collected.logged_in_with == "key"
            assert lab.auth_attempts(lab.profiles[0].hostname) == []

    async def test_a_password_alone_is_refused(self, key_only: Lab) -> None:
        with pytest.raises(AuthenticationFailed):
            await collect(key_only, login(password=LAB_PASSWORD))

    async def test_another_key_is_refused_and_the_next_login_tried(self, key_only: Lab) -> None:
        stranger, owner = login(key=KeyPair()), login(key=AUTHORIZED)
        collected = await collect(key_only, stranger, owner)
        assert collected.login is owner and collected.refused_logins == [stranger]

    async def test_keys_in_the_workers_home_are_never_offered(
        self, key_only: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        ssh = tmp_path / ".ssh"
        ssh.mkdir()
        (ssh / "id_ed25519").write_text(AUTHORIZED.private_text())
        (ssh / "id_ed25519.pub").write_text(AUTHORIZED.public_line + "\n")
        monkeypatch.setenv("HOME", str(tmp_path))
        monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
        assert Path("~/.ssh/id_ed25519").expanduser().exists()
        with pytest.raises(AuthenticationFailed):
            await collect(key_only, login(password="not-it"))


class TestKeyAndPassword:
    async def test_the_key_logs_in_first(self, key_or_password: Lab) -> None:
        collected = await collect(key_or_password, login(LAB_PASSWORD, AUTHORIZED))
        assert collected.logged_in_with == "key"
        assert key_or_password.auth_attempts(key_or_password.profiles[0].hostname) == []

    async def test_a_refused_key_falls_back_to_the_password(self, key_or_password: Lab) -> None:
        collected = await collect(key_or_password, login(LAB_PASSWORD, KeyPair()))
        assert collected.logged_in_with == "password"
        hostname = key_or_password.profiles[0].hostname
        assert key_or_password.auth_attempts(hostname) == [(LAB_USERNAME, LAB_PASSWORD)]


class TestOtherInputs:
    def test_a_key_only_login_is_not_sent_to_a_netconf_device(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        sent: list[list[Login]] = []

        def netconf(target: Target, logins: list[Login], timeouts: Timeouts) -> Collected:
            sent.append(logins)
            return Collected(raw="", login=logins[0])

        monkeypatch.setitem(COLLECTORS, "netconf", netconf)
        key_only, both = login(key=AUTHORIZED), login(LAB_PASSWORD, AUTHORIZED)
        target = Target("srx", "127.0.0.1", 830, CATALOG.driver_for("juniper_junos_netconf"))
        collect_by_input(target, [key_only, both], TIMEOUTS)
        assert sent == [[both]]


class TestBackup:
    async def test_a_key_only_device_is_backed_up_with_a_key_credential(
        self, admin, sessions, infra, broker, key_only: Lab
    ) -> None:
        tag = unique("keyed")
        response = await admin.post(
            "/api/credentials",
            json={
                "name": unique("key-cred"),
                "username": LAB_USERNAME,
                "private_key": AUTHORIZED.private_text("pem", "unlock-me"),
                "private_key_passphrase": "unlock-me",
                "enable_secret": LAB_ENABLE,
                "tags": [tag],
            },
        )
        assert response.status_code == 201, response.text
        credential = response.json()
        device = await create_device(admin, key_only.profiles[0].port, tag)

        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, device["id"]
        )

        assert outcome.backed_up is not None, outcome.events
        assert outcome.backed_up["credential_id"] == credential["id"]
        [line] = outcome.log_lines()
        assert line["message"].startswith(
            f"{device['hostname']}: config collected as credential '{credential['name']}' "
            "with its key ("
        )
        published = str(outcome.events)
        assert "PRIVATE KEY" not in published and "unlock-me" not in published
