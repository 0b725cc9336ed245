"""A device that lets the worker in and then goes quiet ends within its own timeouts, with a reason
an operator can act on, and is not retried: on the real SSH simulator, NATS and PostgreSQL."""

import asyncio
import dataclasses
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import paramiko
import pytest
from netraven_lab.lab import Lab
from netraven_lab.profiles import DeviceProfile, make_lab_profiles
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.events import subjects
from netraven_shared.events.logs import LOG_LINE_SUBJECTS
from netraven_worker.backup import BackupService
from netraven_worker.collection import Login, Target
from netraven_worker.session import DeviceStoppedAnswering, collect_config
from netraven_worker.timeouts import Timeouts

from tests.e2e.runs import wait_for
from tests.fixtures.api import CIPHER
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.worker.bus_capture import captured
from tests.worker.test_session_guard import start_run, worker_settings
from tests.worker.trust import engine_of

CONNECT = 3.0
READ = 3.0
# The collect command's read timeout grows with the config size:
# 3 s + 0.5 s x 7 (64 KiB assumed) = 6.5 s.
PER_10KB = 0.5
SCALED_READ = 6.5
MARGIN = 3.0  # a loaded machine's TCP, SSH handshake and login


CISCO_IOS = DriverCatalog.load().driver_for("cisco_ios")
CATALOG = DriverCatalog.load()


def lab_device(**behaviour) -> DeviceProfile:
    profile = make_lab_profiles(
        1, username=LAB_USERNAME, password=LAB_PASSWORD, enable_secret=LAB_ENABLE
    )[0]
    return dataclasses.replace(profile, **behaviour)


@pytest.fixture
async def lab_of() -> AsyncIterator:
    labs: list[Lab] = []

    async def start(profile: DeviceProfile) -> Lab:
        lab = Lab([profile])
        await lab.start()
        labs.append(lab)
        return lab

    yield start
    for lab in labs:
        await lab.stop()


class _LogsInNeverOpensAShell(paramiko.ServerInterface):
    """Accepts the password, then sits on the request for a session channel: no lab device can."""

    def __init__(self, released: threading.Event) -> None:
        self._released = released

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_auth_password(self, username: str, password: str) -> int:
        return paramiko.AUTH_SUCCESSFUL

    def check_channel_request(self, kind: str, chanid: int) -> int:
        self._released.wait()
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


@pytest.fixture
def shell_never_opens() -> Iterator[int]:
    released = threading.Event()
    key = paramiko.ECDSAKey.generate()
    transports: list[paramiko.Transport] = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)

        def serve() -> None:
            while True:
                try:
                    client, _ = listener.accept()
                except OSError:
                    return
                transport = paramiko.Transport(client)
                transport.add_server_key(key)
                transport.start_server(server=_LogsInNeverOpensAShell(released))
                transports.append(transport)

        threading.Thread(target=serve, daemon=True).start()
        yield listener.getsockname()[1]
        released.set()
    for transport in transports:
        transport.close()


def give_up(lab: Lab, timeouts: Timeouts) -> tuple[float, str]:
    """How many seconds `collect_config` took to give up on the device, and why."""
    profile = lab.profiles[0]
    login = Login(uuid.uuid4(), "lab", LAB_USERNAME, LAB_PASSWORD, LAB_ENABLE)
    started = time.monotonic()
    with pytest.raises(DeviceStoppedAnswering) as stopped:
        collect_config(
            Target(profile.hostname, lab.host, profile.port, CISCO_IOS),
            [login],
            timeouts,
        )
    return time.monotonic() - started, str(stopped.value)


class TestEachPhaseHasItsReason:
    @pytest.mark.parametrize(
        ("behaviour", "where", "bound"),
        [
            ({"hangs_after_login": True}, "after login (no prompt within 3 s)", CONNECT),
            ({"hangs_on": "enable"}, "during 'enable' (no prompt within 3 s)", CONNECT),
            (
                {"hangs_on": "show running-config"},
                "during 'show running-config' (no prompt within 5 s)",
                5.0,
            ),
        ],
    )
    async def test_a_hang_ends_at_its_phase_timeout(
        self, lab_of, behaviour: dict, where: str, bound: float
    ) -> None:
        lab = await lab_of(lab_device(**behaviour))
        elapsed, reason = await asyncio.to_thread(give_up, lab, Timeouts(connect=CONNECT, read=5.0))
        assert f"the device stopped answering {where}" in reason
        assert "not retried" in reason and "raise its timeout" in reason
        assert bound <= elapsed < bound + MARGIN, f"{where}: gave up after {elapsed:.1f} s"

    async def test_a_shell_that_never_opens_ends_at_the_connect_timeout(
        self, shell_never_opens: int
    ) -> None:
        """Paramiko alone would wait an hour for the session channel: the watchdog closes the
        transport."""
        login = Login(uuid.uuid4(), "lab", LAB_USERNAME, LAB_PASSWORD, LAB_ENABLE)
        target = Target("mute-01", "127.0.0.1", shell_never_opens, CISCO_IOS)
        started = time.monotonic()
        with pytest.raises(
            DeviceStoppedAnswering, match=r"stopped answering after login \(no shell within 3 s\)"
        ):
            await asyncio.to_thread(
                collect_config, target, [login], Timeouts(connect=CONNECT, read=READ)
            )
        assert CONNECT <= time.monotonic() - started < CONNECT + MARGIN

    async def test_a_device_that_answers_is_not_cut_short(self, lab_of) -> None:
        """The bounds are per wait: a slow device that keeps answering within them is backed up."""
        lab = await lab_of(lab_device(delay=1.0))
        profile = lab.profiles[0]
        login = Login(uuid.uuid4(), "lab", LAB_USERNAME, LAB_PASSWORD, LAB_ENABLE)
        target = Target(profile.hostname, lab.host, profile.port, CISCO_IOS)
        collected = await asyncio.to_thread(
            collect_config, target, [login], Timeouts(connect=CONNECT, read=READ)
        )
        assert f"hostname {profile.hostname}" in collected.raw


class TestThroughTheWorker:
    async def _back_up(
        self, admin, sessions, infra, broker, lab: Lab
    ) -> tuple[dict, list[dict], float]:
        tag = unique("hang")
        await create_credential(admin, tag, LAB_PASSWORD, LAB_ENABLE)
        device = await create_device(admin, lab.profiles[0].port, tag)
        settings = worker_settings(
            infra,
            unique("worker"),
            connect_timeout=CONNECT,
            read_timeout=READ,
            read_timeout_per_10kb=PER_10KB,
            max_attempts=4,
        )
        service = BackupService(engine_of(sessions), broker, CIPHER, settings, CATALOG)
        request, run_id = await start_run(admin, device["id"])
        async with captured(broker, "netraven.>") as events:
            started = time.monotonic()
            await service.back_up(
                request, attempt=1
            )  # a RetryLater here would mean another session later
            elapsed = time.monotonic() - started
            await asyncio.sleep(0.3)
        return (
            await wait_for(admin, str(run_id)),
            [e for e in events if e.get("run_id") == str(run_id)],
            elapsed,
        )

    async def test_a_hang_after_login_fails_the_first_attempt_within_the_connect_timeout(
        self, admin, sessions, infra, broker, lab_of
    ) -> None:
        lab = await lab_of(lab_device(hangs_after_login=True))
        run, events, elapsed = await self._back_up(admin, sessions, infra, broker, lab)
        assert elapsed < CONNECT * 3, f"held the run {elapsed:.1f} s"
        error = run["results"][0]["error"]
        assert "the device stopped answering after login (no prompt within 3 s)" in error
        assert "Pattern not detected" not in error and "unreachable" not in error
        failed = [e for e in events if e["subject"] == subjects.BACKUP_FAILED]
        assert [e["attempts"] for e in failed] == [1]
        assert not [
            e for e in events if e["subject"] in LOG_LINE_SUBJECTS and "retrying" in e["message"]
        ]

    async def test_a_hang_during_the_collect_command_fails_within_the_read_timeout(
        self, admin, sessions, infra, broker, lab_of
    ) -> None:
        lab = await lab_of(lab_device(hangs_on="show running-config"))
        run, events, elapsed = await self._back_up(admin, sessions, infra, broker, lab)
        assert SCALED_READ <= elapsed < CONNECT + SCALED_READ + MARGIN, (
            f"held the run {elapsed:.1f} s"
        )
        error = run["results"][0]["error"]
        assert (
            "the device stopped answering during 'show running-config' (no prompt within 6.5 s)"
            in error
        )
        assert [e["attempts"] for e in events if e["subject"] == subjects.BACKUP_FAILED] == [1]
