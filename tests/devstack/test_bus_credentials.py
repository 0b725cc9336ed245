"""The bus secrets: generated once, private, reused; the server configuration they render is
valid; the embedded server runs with it."""

import asyncio
import ssl
import stat
import subprocess
from pathlib import Path

import httpx
import nats
import pytest
from netraven_devstack.bus_credentials import BusCredentials, main
from netraven_devstack.nats_server import EmbeddedNats, find_nats_server
from netraven_devstack.ports import free_port
from netraven_shared.bus_identities import IDENTITIES, inbox_prefix_of


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class TestGeneration:
    def test_every_secret_is_private(self, tmp_path: Path) -> None:
        credentials = BusCredentials(tmp_path / "bus").ensure()
        secrets = [
            credentials.ca_key,
            credentials.server_key,
            credentials.encryption_key_path,
            credentials.ca,
        ]
        secrets += [credentials.seed_path(identity) for identity in IDENTITIES]
        assert {path.name: mode_of(path) for path in secrets} == {
            path.name: 0o600 for path in secrets
        }

    def test_a_second_start_reuses_them(self, tmp_path: Path) -> None:
        first = BusCredentials(tmp_path / "bus").ensure()
        keys = {identity: first.public_key(identity) for identity in IDENTITIES}
        ca, encryption = first.ca.read_bytes(), first.encryption_key
        again = BusCredentials(tmp_path / "bus").ensure()
        assert {identity: again.public_key(identity) for identity in IDENTITIES} == keys
        assert (again.ca.read_bytes(), again.encryption_key) == (ca, encryption)

    def test_each_identity_has_its_own_user_key(self, tmp_path: Path) -> None:
        credentials = BusCredentials(tmp_path / "bus").ensure()
        keys = [credentials.public_key(identity) for identity in IDENTITIES]
        assert len(set(keys)) == len(IDENTITIES) and all(key.startswith("U") for key in keys)


class TestCommandLine:
    def test_writes_a_configuration_the_server_accepts_and_a_kit_per_identity(
        self, tmp_path: Path
    ) -> None:
        main([str(tmp_path / "bus"), "--store-dir", str(tmp_path / "store")])
        config = tmp_path / "bus" / "nats-server.conf"
        assert mode_of(config) == 0o600
        checked = subprocess.run(
            [str(find_nats_server()), "-t", "-c", str(config)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stderr
        for identity in IDENTITIES:
            kit = tmp_path / "bus" / "identities" / identity
            assert sorted(path.name for path in kit.iterdir()) == sorted(
                [f"{identity}.nk", "ca.pem"]
            )
        readme = (tmp_path / "bus" / "integrator" / "README.md").read_text()
        assert "netraven.jobs.requested" in readme and "nats --server tls://nats:4222" in readme


class TestEmbeddedServer:
    async def test_requires_tls_and_an_nkey_and_keeps_monitoring_on_loopback(
        self, tmp_path: Path
    ) -> None:
        credentials = BusCredentials(tmp_path / "bus").ensure()
        with EmbeddedNats(tmp_path / "nats", free_port(), credentials=credentials) as server:
            assert server.url.startswith("tls://")
            varz = (
                await asyncio.to_thread(httpx.get, f"http://127.0.0.1:{server.monitor_port}/varz")
            ).json()
            assert varz["http_host"] == "127.0.0.1"
            assert varz["tls_required"] and varz["auth_required"]
            tls = ssl.create_default_context(cafile=str(credentials.ca))
            client = await nats.connect(
                server.url,
                tls=tls,
                nkeys_seed=str(credentials.seed_path("integrator")),
                inbox_prefix=inbox_prefix_of("integrator"),
            )
            await client.close()
            with pytest.raises(Exception):  # noqa: B017  (refused, however nats-py reports it)
                await nats.connect(
                    server.url.replace("tls://", "nats://"),
                    allow_reconnect=False,
                    max_reconnect_attempts=0,
                    connect_timeout=3,
                )
