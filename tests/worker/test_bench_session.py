"""The benchmark swaps the worker's SSH step for its stand-in from its own side: production code
has no setting that could do it."""

from uuid import uuid4

from netraven_bench.fake_session import instant_session
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_worker.collection import Login, Target
from netraven_worker.config import WorkerSettings

CISCO_IOS = DriverCatalog.load().driver_for("cisco_ios")


class TestBenchSession:
    def test_no_worker_setting_replaces_the_session(self) -> None:
        assert not [
            name for name in WorkerSettings.model_fields if "bench" in name or "factory" in name
        ]

    def test_the_stand_in_logs_in_with_the_first_login(self) -> None:
        login = Login(uuid4(), "first", "netraven", "secret", None)
        target = Target("bench-01", "192.0.2.1", 22, CISCO_IOS)
        collected = instant_session(target, [login, Login(uuid4(), "second", "u", "p", None)])
        assert collected.login is login
        assert "hostname bench-01" in collected.raw
