"""The demo lab's extra devices (what `make run` serves beside lab-rtr-NN), spoken to with plain
clients: the key-only device takes the key made for it and no password, the bastion is the only
way to the hidden device, and a restarted demo keeps every key the stack pinned or holds."""

import asyncio
import stat
from pathlib import Path

import asyncssh
import pytest
from netraven_lab.demo import BASTION_PASSWORD, BASTION_USERNAME, HIDDEN_ADDRESS, DemoLab, LabLogin
from netraven_lab.host_key import load_or_create_host_key

from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD, LAB_USERNAME

pytestmark = pytest.mark.timeout(60)
LOGIN = LabLogin(LAB_USERNAME, LAB_PASSWORD, LAB_ENABLE, config_bytes=512)


def demo(data_dir: Path) -> DemoLab:
    return DemoLab(data_dir, LOGIN, base_port=0, host_key=load_or_create_host_key(data_dir / "hk"))


def login_public_key(data_dir: Path) -> bytes:
    return asyncssh.read_private_key(data_dir / "demo-login-key").export_public_key()


def devices(registration: dict) -> dict[str, dict]:
    return {device["hostname"]: device for device in registration["devices"]}


class TestRegistration:
    async def test_names_one_device_for_each_way_in(self, tmp_path: Path) -> None:
        async with demo(tmp_path) as running:
            registration = running.registration("127.0.0.1")

        named = devices(registration)
        assert {(d["device_type"], d["transport"]) for d in named.values()} == {
            ("cisco_ios", "ssh"),
            ("cisco_ios", "telnet"),
            ("paloalto_panos_api", "ssh"),
            ("juniper_junos_netconf", "ssh"),
        }
        assert named["lab-dns-01"]["ip_address"] == "localhost"
        behind = named["lab-behind-01"]
        assert (behind["ip_address"], behind["port"], behind["jump_host"]) == (
            *HIDDEN_ADDRESS,
            "lab-bastion",
        )
        assert named["lab-key-01"]["tags"] == ["lab-key"]
        key_file = Path(registration["credentials"][0]["private_key_file"])
        assert "PRIVATE KEY" in key_file.read_text(), "named by its file, not held in the JSON"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    async def test_a_restarted_demo_keeps_its_keys(self, tmp_path: Path) -> None:
        async with demo(tmp_path) as first:
            before = (first.registration("127.0.0.1"), first.panos and first.panos.public_key)
            login_key = login_public_key(tmp_path)
        async with demo(tmp_path) as second:
            after = (second.registration("127.0.0.1"), second.panos and second.panos.public_key)

        assert after[1] == before[1], "the PAN-OS certificate key the stack pinned"
        pins = [r["jump_hosts"][0]["host_key"].split(" ", 1)[1] for r in (before[0], after[0])]
        assert pins[0] == pins[1]
        assert login_public_key(tmp_path) == login_key, "the key the credential holds"


class TestDevices:
    async def test_the_key_only_device_takes_the_key_and_refuses_the_password(
        self, tmp_path: Path
    ) -> None:
        async with demo(tmp_path) as running:
            port = devices(running.registration("127.0.0.1"))["lab-key-01"]["port"]
            key = asyncssh.read_private_key(tmp_path / "demo-login-key")
            async with asyncssh.connect(
                "127.0.0.1", port, username=LAB_USERNAME, client_keys=[key], known_hosts=None
            ):
                pass
            with pytest.raises(asyncssh.PermissionDenied):
                await asyncssh.connect(
                    "127.0.0.1",
                    port,
                    username=LAB_USERNAME,
                    password=LAB_PASSWORD,
                    client_keys=None,
                    known_hosts=None,
                )

    async def test_the_hidden_device_answers_through_the_bastion(self, tmp_path: Path) -> None:
        async with demo(tmp_path) as running:
            jump = running.registration("127.0.0.1")["jump_hosts"][0]
            async with asyncssh.connect(
                "127.0.0.1",
                jump["port"],
                username=BASTION_USERNAME,
                password=BASTION_PASSWORD,
                client_keys=None,
                known_hosts=None,
            ) as bastion:
                reader, writer = await bastion.open_connection(*HIDDEN_ADDRESS)
                banner = await asyncio.wait_for(reader.readline(), timeout=5)
                writer.close()

        assert banner.startswith(b"SSH-2.0-")
