"""The demo lab's extra devices: one for each way NetRaven reaches a device besides a password over
SSH, served beside lab-rtr-NN when `make run` starts the lab (`netraven-lab --demo FILE`).

    lab-key-01     a key-only SSH device; its key pair is made on the lab's first start
    lab-behind-01  only reachable through lab-bastion, an SSH jump host: as 10.255.0.1:22
    lab-telnet-01  a Telnet device
    lab-panos-01   a PAN-OS XML API over HTTPS
    lab-junos-01   Junos NETCONF over SSH
    lab-dns-01     a device given by DNS name (localhost)

They take DEMO_PORTS fixed ports after the lab-rtr ones (free ports when the lab's base port is 0).
The login key pair and the PAN-OS TLS key are kept in the data dir, like the lab's host key, so a
restarted lab keeps the identities the stack pinned and the key its credential holds.

The registration file says what `python -m netraven_api.bootstrap lab-demo FILE` registers: the
credentials, the jump host with its pinned key, and the devices. It names the private key's file,
never holds the key.
"""

import json
import os
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Self

import asyncssh
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from netraven_lab.bastion import LabBastion
from netraven_lab.config_text import generate_config
from netraven_lab.lab import Lab
from netraven_lab.netconf_server import NetconfDevice
from netraven_lab.panos_api import PanosApi
from netraven_lab.profiles import DeviceProfile

DEMO_PORTS = 7
HIDDEN_ADDRESS = ("10.255.0.1", 22)  # nothing answers there: only the bastion knows the way
BASTION = "lab-bastion"
BASTION_USERNAME = "jump"
BASTION_PASSWORD = "lab-bastion-Passw0rd"
KEY_CREDENTIAL = "lab-key"
LOGIN_KEY_FILE = "demo-login-key"
TLS_KEY_FILE = "demo-panos-tls-key.pem"


@dataclass(frozen=True)
class LabLogin:
    """What every demo device accepts (the key-only one the key instead of the password)."""

    username: str
    password: str
    enable_secret: str
    config_bytes: int = 2048


class DemoLab:
    """The extra devices on `host` from `base_port` (0: free ports); `async with` runs them."""

    def __init__(
        self,
        data_dir: Path,
        login: LabLogin,
        base_port: int,
        host: str = "127.0.0.1",
        host_key: asyncssh.SSHKey | None = None,
    ) -> None:
        self._data_dir = data_dir
        self._login = login
        self._base_port = base_port
        self._host = host
        self._host_key = host_key
        self._login_key = _load_or_create_login_key(data_dir / LOGIN_KEY_FILE)
        self._exits = AsyncExitStack()
        self.lab: Lab | None = None
        self.bastion: LabBastion | None = None
        self.panos: PanosApi | None = None
        self.junos: NetconfDevice | None = None

    def _port(self, index: int) -> int:
        return self._base_port + index if self._base_port else 0

    def _profile(self, hostname: str, index: int) -> DeviceProfile:
        login = self._login
        return DeviceProfile(
            hostname=hostname,
            port=self._port(index),
            username=login.username,
            password=login.password,
            enable_secret=login.enable_secret,
            config_text=generate_config(hostname, login.config_bytes),
        )

    async def __aenter__(self) -> Self:
        public_key = self._login_key.export_public_key("openssh").decode().strip()
        profiles = [
            replace(
                self._profile("lab-key-01", 0),
                authorized_keys=(public_key,),
                accepts_passwords=False,
            ),
            self._profile("lab-behind-01", 1),
            replace(self._profile("lab-telnet-01", 3), telnet=True),
            self._profile("lab-dns-01", 6),
        ]
        login = self._login
        try:
            self.lab = await self._exits.enter_async_context(
                Lab(profiles, host=self._host, host_key=self._host_key)
            )
            routes = {HIDDEN_ADDRESS: (self._host, self.lab.profile("lab-behind-01").port)}
            self.bastion = await self._exits.enter_async_context(
                LabBastion(
                    BASTION_USERNAME,
                    BASTION_PASSWORD,
                    routes,
                    host=self._host,
                    host_key=self._host_key,
                    port=self._port(2),
                )
            )
            self.panos = self._exits.enter_context(
                PanosApi(
                    login.username,
                    login.password,
                    host=self._host,
                    port=self._port(4),
                    tls_key=_load_or_create_tls_key(self._data_dir / TLS_KEY_FILE),
                )
            )
            self.junos = await self._exits.enter_async_context(
                NetconfDevice(
                    login.username,
                    login.password,
                    host=self._host,
                    port=self._port(5),
                    host_key=self._host_key,
                )
            )
        except BaseException:
            await self._exits.aclose()
            raise
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._exits.aclose()

    def registration(self, address: str) -> dict[str, list[dict[str, object]]]:
        """What the bootstrap registers; `address` is where the stack reaches the lab."""
        assert self.lab and self.bastion and self.panos and self.junos, "demo lab not started"
        lab, login = self.lab, self._login

        def device(hostname: str, port: int, **fields: object) -> dict[str, object]:
            entry = {
                "hostname": hostname,
                "ip_address": address,
                "port": port,
                "device_type": "cisco_ios",
                "transport": "ssh",
                "jump_host": None,
                "tags": [],
            }
            return entry | fields

        public = self._host_key_line()
        return {
            "credentials": [
                {
                    "name": KEY_CREDENTIAL,
                    "username": login.username,
                    "private_key_file": str(self._data_dir / LOGIN_KEY_FILE),
                    "enable_secret": login.enable_secret,
                    "priority": 5,
                    "tags": [KEY_CREDENTIAL],
                },
                {
                    "name": BASTION,
                    "username": BASTION_USERNAME,
                    "password": BASTION_PASSWORD,
                    "priority": 100,
                    "tags": [BASTION],
                },
            ],
            "jump_hosts": [
                {
                    "name": BASTION,
                    "address": address,
                    "port": self.bastion.port,
                    "credential": BASTION,
                    "host_key": f"[{address}]:{self.bastion.port} {public}",
                }
            ],
            "devices": [
                device("lab-key-01", lab.profile("lab-key-01").port, tags=[KEY_CREDENTIAL]),
                device(
                    "lab-behind-01",
                    HIDDEN_ADDRESS[1],
                    ip_address=HIDDEN_ADDRESS[0],
                    jump_host=BASTION,
                ),
                device("lab-telnet-01", lab.profile("lab-telnet-01").port, transport="telnet"),
                device("lab-panos-01", self.panos.port, device_type="paloalto_panos_api"),
                device("lab-junos-01", self.junos.port, device_type="juniper_junos_netconf"),
                device("lab-dns-01", lab.profile("lab-dns-01").port, ip_address="localhost"),
            ],
        }

    def _host_key_line(self) -> str:
        assert self.bastion is not None
        return self.bastion.host_key_line.split(" ", 1)[1]


def write_registration(path: Path, registration: dict[str, list[dict[str, object]]]) -> None:
    """Written whole or not at all, like the inventory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(registration, indent=2) + "\n")
    os.replace(partial, path)


def _load_or_create_login_key(path: Path) -> asyncssh.SSHKey:
    if path.exists():
        return asyncssh.read_private_key(path)
    key = asyncssh.generate_private_key("ssh-ed25519", comment="netraven-demo-lab")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    key.write_private_key(path)
    return key


def _load_or_create_tls_key(path: Path) -> ec.EllipticCurvePrivateKey:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey), f"{path} holds no EC key"
        return key
    key = ec.generate_private_key(ec.SECP256R1())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return key
