"""docker-compose.yml describes the whole stack: services, dependencies, configuration, secrets,
volumes (the images are checked in test_compose_images.py).

No Docker engine is needed: the file is read with pyyaml (and checked by a compose binary in
test_compose_validator.py).
"""

import re
from pathlib import Path

import yaml
from netraven_shared.db.service_grants import ROLES
from netraven_shared.db.service_logins import login_of, password_variable
from sqlalchemy.engine import make_url

from tests.deploy.compose_file import (
    CADDYFILE,
    COMPOSE,
    ENV_EXAMPLE,
    ONE_SHOTS,
    PYTHON_SERVICES,
    REQUIRED_VARIABLE,
    command_modules,
)

SERVICES = PYTHON_SERVICES | {"nats", "postgres", "caddy"}
AFTER_MIGRATE = {
    "api",
    "scheduler",
    "worker",
    "log-collector",
    "gitkeeper",
    "notifier",
    "lab-register",
}
HEALTH_PORTS = {
    "scheduler": 8101,
    "worker": 8102,
    "log-collector": 8103,
    "gitkeeper": 8104,
    "notifier": 8105,
    # The worker program in site mode, in a container of its own.
    "site-collector": 8102,
}
VARIABLE = re.compile(r"\$\{(\w+)")
API_PROCESSES = {"api", "migrate", "lab-register"}
# Who may receive each secret (a variable pattern): everyone else must not.
SECRET_RECEIVERS = {
    r"NETRAVEN_CREDENTIAL_KEY\w*": API_PROCESSES | {"worker", "notifier"},
    r"NETRAVEN_JWT_SECRET": API_PROCESSES,
    r"NETRAVEN_DB_OWNER_PASSWORD": {"postgres", "migrate"},
    **{
        password_variable(service): {service, "migrate"}
        | (API_PROCESSES - {"migrate"} if service == "api" else set())
        for service in ROLES
    },
}


class TestServices:
    def test_every_service_is_declared(self, services):
        assert SERVICES <= services.keys()

    def test_long_running_services_restart_stop_gracefully_and_report_health(self, services):
        for name in SERVICES - ONE_SHOTS:
            service = services[name]
            assert service["restart"] == "unless-stopped", name
            assert service["stop_grace_period"], name
            assert service["healthcheck"]["test"], name

    def test_one_shots_run_once(self, services):
        for name in ONE_SHOTS:
            assert services[name]["restart"] == "no", name

    def test_every_dependency_waits_on_a_condition(self, services):
        for name, service in services.items():
            for dependency, how in service.get("depends_on", {}).items():
                assert dependency in services, (name, dependency)
                assert how["condition"].startswith("service_"), (name, dependency)

    def test_migrate_runs_after_postgres_and_before_the_services(self, services):
        assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
        for name in AFTER_MIGRATE:
            condition = services[name]["depends_on"]["migrate"]["condition"]
            assert condition == "service_completed_successfully", name

    def test_workers_scale_out(self, services):
        assert services["worker"]["deploy"]["replicas"] >= 2
        assert "container_name" not in services["worker"]


class TestConfiguration:
    def test_python_services_get_the_common_environment(self, services):
        common = yaml.safe_load(COMPOSE.read_text())["x-netraven-env"]
        assert common["NETRAVEN_MODE"] == "production"
        assert common["NETRAVEN_LOG_FORMAT"] == "json"
        assert "NETRAVEN_DATABASE_URL" not in common, "each service has its own database login"
        assert common["NETRAVEN_NATS_URL"] == "tls://nats:4222"
        for name in PYTHON_SERVICES - {"lab", "bus-credentials"}:
            environment = services[name]["environment"]
            assert {key: environment.get(key) for key in common} == common, name

    def test_secrets_must_be_set_and_are_documented(self, services):
        for key in ("NETRAVEN_CREDENTIAL_KEYS", "NETRAVEN_JWT_SECRET"):
            assert services["api"]["environment"][key].startswith(f"${{{key}:?"), key
        documented = set(re.findall(r"^(\w+)=", ENV_EXAMPLE.read_text(), re.MULTILINE))
        assert set(REQUIRED_VARIABLE.findall(COMPOSE.read_text())) <= documented

    def test_each_secret_reaches_only_the_services_that_use_it(self, services):
        for name, service in services.items():
            received = {
                variable
                for value in service.get("environment", {}).values()
                for variable in VARIABLE.findall(str(value))
            }
            for pattern, receivers in SECRET_RECEIVERS.items():
                leaked = {variable for variable in received if re.fullmatch(pattern, variable)}
                assert not leaked or name in receivers, (name, leaked)
        assert "NETRAVEN_CREDENTIAL_KEY" in services["worker"]["environment"]
        assert "NETRAVEN_JWT_SECRET" not in services["worker"]["environment"]

    def test_each_service_logs_in_to_postgresql_as_its_own_user(self, services):
        logins = {service: service for service in ROLES} | {"lab-register": "api"}
        for name, service in logins.items():
            url = make_url(
                re.sub(
                    r"\$\{(\w+)[^}]*\}",
                    r"\1",
                    services[name]["environment"]["NETRAVEN_DATABASE_URL"],
                )
            )
            assert (url.username, url.password) == (
                login_of(service),
                password_variable(service),
            ), name
            assert (url.host, url.port, url.database) == (
                "postgres",
                5432,
                services["postgres"]["environment"]["POSTGRES_DB"],
            ), name

    def test_migrate_runs_as_the_owner_and_creates_every_login(self, services):
        migrate = services["migrate"]
        owner = make_url(
            re.sub(r"\$\{(\w+)[^}]*\}", r"\1", migrate["environment"]["NETRAVEN_DATABASE_URL"])
        )
        assert owner.username == services["postgres"]["environment"]["POSTGRES_USER"]
        assert owner.password == "NETRAVEN_DB_OWNER_PASSWORD"
        modules = command_modules(migrate)
        assert modules.index("netraven_shared.db.migrate") < modules.index(
            "netraven_shared.db.service_logins"
        )
        for service in ROLES:
            assert migrate["environment"][password_variable(service)].startswith(
                f"${{{password_variable(service)}:?"
            ), service

    def test_bus_services_serve_health_on_their_own_port(self, services):
        for name, port in HEALTH_PORTS.items():
            assert services[name]["environment"]["NETRAVEN_HEALTH_PORT"] == str(port), name
            assert f":{port}/health" in " ".join(services[name]["healthcheck"]["test"]), name

    def test_api_listens_on_8000_behind_caddy_and_trusts_only_caddy(self, services):
        api, caddy = services["api"], services["caddy"]
        assert api["environment"]["NETRAVEN_HOST"] == "0.0.0.0"
        assert api["environment"]["NETRAVEN_PORT"] == "8000"
        assert "ports" not in api
        assert "/api/health" in " ".join(api["healthcheck"]["test"])
        assert re.search(r"^\s*reverse_proxy api:8000$", CADDYFILE.read_text(), re.MULTILINE)
        assert (
            api["environment"]["NETRAVEN_TRUSTED_PROXIES"]
            == caddy["networks"]["edge"]["ipv4_address"]
        )
        assert caddy["depends_on"]["api"]["condition"] == "service_healthy"

    def test_nats_runs_the_generated_configuration_with_jetstream_on_a_volume(self, services):
        generator = services["bus-credentials"]["command"]
        credentials = generator[generator.index("netraven_devstack.bus_credentials") + 1]
        store = Path(generator[generator.index("--store-dir") + 1])
        nats = services["nats"]
        # nats-cluster.conf with the nats-cluster profile: test_compose_nats_cluster.py
        assert nats["command"] == [
            "-c",
            f"{credentials}/${{NETRAVEN_NATS_CONFIG:-nats-server.conf}}",
        ]
        assert f"bus-credentials:{credentials}:ro" in nats["volumes"]
        assert any(
            store.is_relative_to(volume.split(":")[1])
            for volume in nats["volumes"]
            if volume.startswith("nats-data:")
        )
        assert (
            nats["depends_on"]["bus-credentials"]["condition"] == "service_completed_successfully"
        )

    def test_each_service_mounts_only_its_own_identity(self, services):
        identities = {
            "api": "api",
            "migrate": "api",
            "lab-register": "api",
            "scheduler": "scheduler",
            "worker": "worker",
            "log-collector": "log-collector",
            "gitkeeper": "gitkeeper",
            "notifier": "notifier",
        }
        for name, identity in identities.items():
            service = services[name]
            (mount,) = [
                v
                for v in service["volumes"]
                if isinstance(v, dict) and v["source"] == "bus-credentials"
            ]
            assert mount["volume"]["subpath"] == f"identities/{identity}", name
            assert mount["read_only"], name
            assert (
                service["environment"]["NETRAVEN_NATS_NKEY"] == f"{mount['target']}/{identity}.nk"
            ), name

    def test_gitkeeper_alone_mounts_the_config_repository(self, services):
        repo_path = services["gitkeeper"]["environment"]["NETRAVEN_REPO_PATH"]
        gitkeeper_volumes = services["gitkeeper"]["volumes"]
        (volume,) = [
            _source(v)
            for v in gitkeeper_volumes
            if isinstance(v, str) and v.endswith(f":{repo_path}")
        ]
        mounting = [
            name
            for name, service in services.items()
            if volume in map(_source, service.get("volumes", []))
        ]
        assert mounting == ["gitkeeper"]

    def test_lab_shares_its_inventory_and_advertises_a_reachable_address(self, services):
        lab, register = services["lab"], services["lab-register"]
        lab_command = " ".join(lab["command"])
        inventory = re.search(r"--inventory (\S+)", lab_command).group(1)
        assert "--advertise-host" in lab_command
        assert inventory in register["command"]
        assert set(map(_source, lab["volumes"])) & set(map(_source, register["volumes"]))


def _source(volume: str | dict) -> str:
    return volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
