"""Per-device SSH options in the Netmiko session, against the asyncssh simulator."""

import asyncio
import time
from uuid import uuid4

import pytest
from netraven_lab.lab import Lab
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_worker.collection import DeviceUnreachable, Login, Target
from netraven_worker.session import LegacySshRequired, collect_config
from netraven_worker.timeouts import Timeouts

from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME

LOGIN = Login(
    credential_id=uuid4(),
    name="lab",
    username=LAB_USERNAME,
    password=LAB_PASSWORD,
    enable_secret=LAB_ENABLE,
)
DEFAULT = Timeouts(connect=10, read=30)


CISCO_IOS = DriverCatalog.load().driver_for("cisco_ios")


def target(hostname: str, port: int, legacy_ssh: bool = False) -> Target:
    return Target(hostname, "127.0.0.1", port, CISCO_IOS, legacy_ssh)


async def collect(target: Target, timeouts: Timeouts = DEFAULT):
    return await asyncio.to_thread(collect_config, target, [LOGIN], timeouts)


class TestLegacySsh:
    async def test_a_legacy_only_device_is_backed_up_when_legacy_ssh_is_on(
        self, legacy_lab: Lab
    ) -> None:
        device = legacy_lab.profiles[0]
        collected = await collect(target(device.hostname, device.port, legacy_ssh=True))
        assert f"hostname {device.hostname}" in collected.raw

    async def test_without_legacy_ssh_it_fails_at_once_and_says_what_to_turn_on(
        self, legacy_lab: Lab
    ) -> None:
        device = legacy_lab.profiles[0]
        with pytest.raises(LegacySshRequired, match="turn on legacy_ssh"):
            await collect(target(device.hostname, device.port))

    async def test_legacy_ssh_still_talks_to_a_modern_device(self, lab: Lab) -> None:
        device = lab.profiles[0]
        collected = await collect(target(device.hostname, device.port, legacy_ssh=True))
        assert f"hostname {device.hostname}" in collected.raw


class TestTimeouts:
    async def test_a_device_that_never_answers_fails_within_its_timeout(
        self, silent_port: int
    ) -> None:
        started = time.monotonic()
        with pytest.raises(DeviceUnreachable, match="did not answer within 5 s") as raised:
            await collect(target("mute-sw", silent_port), Timeouts.for_device(5, DEFAULT))
        elapsed = time.monotonic() - started
        assert 4.5 <= elapsed < 9, f"took {elapsed:.1f} s for a 5 s timeout"
        assert "\n" not in str(raised.value)

    async def test_a_closed_port_is_refused_with_a_clear_reason(self, closed_port: int) -> None:
        with pytest.raises(
            DeviceUnreachable, match=f"127.0.0.1:{closed_port}\\): connection refused"
        ):
            await collect(target("closed-sw", closed_port))

    def test_a_device_timeout_replaces_connect_and_read_defaults(self) -> None:
        assert Timeouts.for_device(45, DEFAULT) == Timeouts(connect=45, read=45)
        assert Timeouts.for_device(None, DEFAULT) is DEFAULT
