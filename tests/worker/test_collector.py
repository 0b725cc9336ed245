"""The worker's SSH step can be swapped for a benchmark's stand-in, and never in production."""

from uuid import uuid4

import pytest
from pydantic import ValidationError

from netraven_bench.fake_session import FACTORY
from netraven_worker.collector import load_collector
from netraven_worker.config import WorkerSettings
from netraven_shared.drivers.registry import driver_for
from netraven_worker.session import Login, Target, collect_config

STRONG_KEY = "k" * 40
BUS = {"nats_nkey": "/run/secrets/worker.nk", "nats_ca": "/run/secrets/ca.pem"}


class TestBenchSessionFactory:
    def test_is_refused_in_production_mode(self) -> None:
        with pytest.raises(ValidationError, match="benchmarks only"):
            WorkerSettings(mode="production", credential_key=STRONG_KEY, bench_session_factory=FACTORY, **BUS)

    def test_production_mode_without_it_starts(self) -> None:
        assert WorkerSettings(mode="production", credential_key=STRONG_KEY, **BUS).bench_session_factory is None

    def test_unset_means_netmiko(self) -> None:
        assert load_collector(WorkerSettings()) is collect_config

    def test_set_loads_the_named_function(self) -> None:
        collect = load_collector(WorkerSettings(bench_session_factory=FACTORY))
        login = Login(uuid4(), "first", "netraven", "secret", None)
        collected = collect(Target("bench-01", "192.0.2.1", 22, driver_for("cisco_ios")), [login, Login(uuid4(), "second", "u", "p", None)])
        assert collected.login is login
        assert "hostname bench-01" in collected.raw

    def test_a_name_that_does_not_resolve_fails_at_start(self) -> None:
        with pytest.raises(AttributeError):
            load_collector(WorkerSettings(bench_session_factory="netraven_bench.fake_session:no_such_function"))
