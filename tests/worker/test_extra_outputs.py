"""A driver's extra outputs in the backup session, on the real SSH simulator: each runs after the
config; a command the device rejects is missing alone, and one that stalls the session ends the
rest, and neither costs the config."""

import asyncio
import dataclasses
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from netraven_lab.lab import Lab
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.drivers.spec import Output
from netraven_worker.collection import Collected, Login, Target
from netraven_worker.session import collect_config
from netraven_worker.timeouts import Timeouts

from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME
from tests.worker.test_device_stops_answering import lab_device

CISCO_IOS = DriverCatalog.load().driver_for("cisco_ios")
TIMEOUTS = Timeouts(connect=3.0, read=3.0)


@pytest.fixture
async def lab_of() -> AsyncIterator:
    labs: list[Lab] = []

    async def start(profile) -> Lab:
        lab = Lab([profile])
        await lab.start()
        labs.append(lab)
        return lab

    yield start
    for lab in labs:
        await lab.stop()


def collect(lab: Lab, spec=CISCO_IOS) -> Collected:
    profile = lab.profiles[0]
    login = Login(uuid.uuid4(), "lab", LAB_USERNAME, LAB_PASSWORD, LAB_ENABLE)
    return collect_config(Target(profile.hostname, lab.host, profile.port, spec), [login], TIMEOUTS)


class TestExtraOutputs:
    async def test_each_output_is_collected_after_the_config(self, lab_of) -> None:
        lab = await lab_of(lab_device())
        collected = await asyncio.to_thread(collect, lab)
        assert "hostname " in collected.raw
        by_name = {output.name: output for output in collected.outputs}
        assert list(by_name) == ["version", "inventory"]
        assert "Processor board ID" in (by_name["version"].raw or "")
        assert "PID: CISCO2911/K9" in (by_name["inventory"].raw or "")
        assert all(output.missing is None for output in collected.outputs)

    async def test_a_rejected_command_is_missing_alone(self, lab_of) -> None:
        lab = await lab_of(lab_device())
        spec = dataclasses.replace(
            CISCO_IOS,
            outputs=(Output("environment", "show environment"), *CISCO_IOS.outputs),
        )
        collected = await asyncio.to_thread(collect, lab, spec)
        environment, version, inventory = collected.outputs
        assert environment.raw is None
        assert environment.missing is not None
        assert environment.missing.startswith(
            "the device rejected 'show environment': % Invalid input"
        )
        assert version.raw and inventory.raw
        assert "hostname " in collected.raw

    async def test_a_stalled_command_keeps_the_config_and_ends_the_rest(self, lab_of) -> None:
        lab = await lab_of(lab_device(hangs_on="show version"))
        started = time.monotonic()
        collected = await asyncio.to_thread(collect, lab)
        assert time.monotonic() - started < TIMEOUTS.read * 2 + 10
        assert "hostname " in collected.raw
        version, inventory = collected.outputs
        assert version.raw is None and "stopped answering during 'show version'" in (
            version.missing or ""
        )
        assert inventory.raw is None
        assert inventory.missing == "not run: the session broke during 'show version'"
