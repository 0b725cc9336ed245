"""docker-compose.yml keeps the database and the bus away from the devices, and every container
small."""

import ipaddress

import yaml

from tests.deploy.compose_file import COMPOSE

# The capabilities left, and why: nats (each node of the nats-cluster profile too) runs as root
# and reads the bus secrets (0600, uid 10001); caddy binds ports 80 and 443.
CAPABILITIES = {
    "nats": ["DAC_READ_SEARCH"],
    "nats-2": ["DAC_READ_SEARCH"],
    "nats-3": ["DAC_READ_SEARCH"],
    "caddy": ["NET_BIND_SERVICE"],
}


class TestIsolation:
    def test_database_and_bus_are_on_the_internal_data_network_only(self, services):
        networks = yaml.safe_load(COMPOSE.read_text())["networks"]
        assert networks["data"]["internal"] is True
        assert services["postgres"]["networks"] == ["data"]
        for name in ("nats", "nats-2", "nats-3"):
            assert list(services[name]["networks"]) == ["data"], name

    def test_only_workers_the_site_collector_and_the_lab_reach_the_devices(self, services):
        on_devices = {
            name for name, service in services.items() if "devices" in service.get("networks", [])
        }
        assert on_devices == {"worker", "site-collector", "lab"}
        assert services["lab"]["networks"] == ["devices"]
        for name in ("worker", "site-collector"):
            assert set(services[name]["networks"]) == {"data", "devices"}, name

    def test_every_other_service_is_on_data_and_only_caddy_publishes(self, services):
        for name, service in services.items():
            assert ("ports" in service) == (name == "caddy"), name
            if name in {"lab", "bus-credentials", "caddy"}:
                continue
            assert "data" in service["networks"], name
        assert set(services["api"]["networks"]) == {"data", "edge"}
        assert services["bus-credentials"]["network_mode"] == "none"

    def test_caddy_publishes_https_and_the_http_redirect_only_and_reaches_only_the_api(
        self, services
    ):
        caddy = services["caddy"]
        assert sorted(port.rsplit(":", 1)[1] for port in caddy["ports"]) == ["443", "80"]
        assert list(caddy["networks"]) == ["edge"]
        on_edge = {
            name for name, service in services.items() if "edge" in service.get("networks", [])
        }
        assert on_edge == {"caddy", "api"}

    def test_caddy_writes_only_to_its_volumes(self, services):
        caddy = services["caddy"]
        assert caddy["read_only"] is True
        writable = [volume.split(":") for volume in caddy["volumes"] if not volume.endswith(":ro")]
        assert {target for _, target in writable} == {"/data", "/config"}
        named_volumes = yaml.safe_load(COMPOSE.read_text())["volumes"]
        assert all(source in named_volumes for source, _ in writable)

    def test_caddys_fixed_address_is_outside_the_dynamic_range(self, services):
        (pool,) = yaml.safe_load(COMPOSE.read_text())["networks"]["edge"]["ipam"]["config"]
        address = ipaddress.ip_address(services["caddy"]["networks"]["edge"]["ipv4_address"])
        assert address in ipaddress.ip_network(pool["subnet"])
        assert address not in ipaddress.ip_network(pool["ip_range"])

    def test_every_container_is_read_only_without_capabilities_or_new_privileges(self, services):
        for name, service in services.items():
            assert service["read_only"] is True, name
            assert service["cap_drop"] == ["ALL"], name
            assert "no-new-privileges:true" in service["security_opt"], name
            assert "/tmp" in service["tmpfs"], name
            assert service.get("cap_add", []) == CAPABILITIES.get(name, []), name

    def test_postgres_runs_as_its_own_user_with_its_socket_on_tmpfs(self, services):
        postgres = services["postgres"]
        assert postgres["user"] == "postgres"
        assert "/var/run/postgresql" in postgres["tmpfs"]
