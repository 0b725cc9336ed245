"""docker-compose.yml's `site` profile: a remote site's collector beside the stack, holding no
database login and no credential key, connecting as its site's bus identity, which the
bus-credentials one-shot writes for each site named in NETRAVEN_BUS_SITES.

The compose binary renders the file (as `docker compose config` does); the collector's environment
is then read by the worker's own settings, and the one-shot's command is run for real.
"""

import re
from pathlib import Path

import nkeys
import pytest
from netraven_devstack import bus_credentials
from netraven_shared.bus_identities import site_identity

from tests.deploy.compose_file import render_compose

SITE = "branch-a"
SITE_ENV = {
    "COMPOSE_PROFILES": "site",
    "NETRAVEN_BUS_SITES": f"{SITE},branch-b",
    "NETRAVEN_WORKER_SITE": SITE,
}
# What would let a collector read the inventory: the database, the credential key ring, and the
# other secrets of the stack.
INVENTORY_ACCESS = re.compile(r"NETRAVEN_(DATABASE_URL|CREDENTIAL_KEY\w*|DB_\w+|JWT_SECRET)")
VARIABLE = re.compile(r"\$\{(\w+)")


@pytest.fixture(scope="module")
def with_site(tmp_path_factory) -> dict[str, dict]:
    return render_compose(tmp_path_factory.mktemp("site"), SITE_ENV)


@pytest.fixture(scope="module")
def without_profile(tmp_path_factory) -> dict[str, dict]:
    return render_compose(tmp_path_factory.mktemp("default"), {})


def _identity_mount(service: dict) -> dict:
    (mount,) = [
        volume
        for volume in service["volumes"]
        if isinstance(volume, dict) and volume["source"] == "bus-credentials"
    ]
    return mount


class TestTheProfile:
    def test_the_collector_runs_with_the_site_profile_only(
        self, services, with_site, without_profile
    ):
        assert services["site-collector"]["profiles"] == ["site"]
        assert "site-collector" not in without_profile
        assert set(with_site) - set(without_profile) == {"site-collector"}

    def test_it_runs_the_worker_image_and_command(self, services):
        collector, worker = services["site-collector"], services["worker"]
        assert collector["build"] == worker["build"]
        assert collector["image"] == worker["image"]
        assert collector["command"] == worker["command"]

    def test_it_waits_for_the_bus_and_the_central_workers_not_the_database(self, with_site):
        depends_on = with_site["site-collector"]["depends_on"]
        assert {name: how["condition"] for name, how in depends_on.items()} == {
            "bus-credentials": "service_completed_successfully",
            "nats": "service_healthy",
            "worker": "service_healthy",
        }


class TestNoInventory:
    def test_it_is_given_no_database_url_and_no_credential_key(self, services, with_site):
        raw = services["site-collector"]
        assert "env_file" not in raw
        referenced = {
            variable
            for value in raw["environment"].values()
            for variable in VARIABLE.findall(str(value))
        }
        rendered = with_site["site-collector"]["environment"]
        for name in (*raw["environment"], *referenced, *rendered):
            assert not INVENTORY_ACCESS.fullmatch(name), name
        assert [secret["source"] for secret in with_site["site-collector"]["secrets"]] == [
            "site-key"
        ]

    def test_the_worker_reads_its_environment_as_its_sites_collector(
        self, with_site, worker_settings
    ):
        collector = with_site["site-collector"]
        settings = worker_settings(collector["environment"])
        assert settings.worker_site == SITE
        assert settings.bus_identity == site_identity(SITE).name
        (secret,) = collector["secrets"]
        assert settings.site_key_file == Path(secret["target"])
        assert settings.mode == "production"

    def test_without_a_site_named_it_does_not_start_as_a_central_worker(
        self, tmp_path, worker_settings
    ):
        rendered = render_compose(tmp_path, {"COMPOSE_PROFILES": "site"})
        with pytest.raises(ValueError, match="NETRAVEN_CREDENTIAL_KEYS"):
            worker_settings(rendered["site-collector"]["environment"])


class TestItsIdentity:
    def test_it_mounts_only_its_sites_identity_and_connects_with_it(self, with_site):
        collector, worker = with_site["site-collector"], with_site["worker"]
        identity = site_identity(SITE).name
        mount = _identity_mount(collector)
        assert mount["volume"]["subpath"] == f"identities/{identity}"
        assert mount["read_only"] is True
        environment = collector["environment"]
        assert environment["NETRAVEN_NATS_NKEY"] == f"{mount['target']}/{identity}.nk"
        assert environment["NETRAVEN_NATS_CA"] == f"{mount['target']}/ca.pem"
        assert environment["NETRAVEN_NATS_URL"] == worker["environment"]["NETRAVEN_NATS_URL"]

    def test_bus_sites_reach_the_credential_generator(self, with_site, without_profile):
        generator = with_site["bus-credentials"]["environment"]
        assert generator["NETRAVEN_BUS_SITES"] == SITE_ENV["NETRAVEN_BUS_SITES"]
        assert without_profile["bus-credentials"]["environment"]["NETRAVEN_BUS_SITES"] == ""

    def test_the_generator_writes_the_identity_the_collector_mounts(
        self, with_site, tmp_path, monkeypatch
    ):
        generator = with_site["bus-credentials"]
        for key, value in generator["environment"].items():
            monkeypatch.setenv(key, value)
        command = generator["command"]
        arguments = command[command.index("netraven_devstack.bus_credentials") + 1 :]
        arguments[0] = str(tmp_path)
        arguments[arguments.index("--store-dir") + 1] = str(tmp_path / "jetstream")
        bus_credentials.main(arguments)

        collector = with_site["site-collector"]
        mount = _identity_mount(collector)
        kit = tmp_path / mount["volume"]["subpath"]
        in_container = {
            Path(collector["environment"][key]).relative_to(mount["target"])
            for key in ("NETRAVEN_NATS_NKEY", "NETRAVEN_NATS_CA")
        }
        assert {path.relative_to(kit) for path in kit.iterdir()} == in_container
        seed = (kit / f"{site_identity(SITE).name}.nk").read_bytes().strip()
        public_key = nkeys.from_seed(bytearray(seed)).public_key.decode()
        assert public_key in (tmp_path / "nats-server.conf").read_text()
        assert (tmp_path / "identities" / site_identity("branch-b").name).is_dir()
