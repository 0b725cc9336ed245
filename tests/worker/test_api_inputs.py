"""The non-CLI inputs through `BackupService`, on the real NATS and PostgreSQL, against simulated
endpoints: PAN-OS's XML API over HTTPS and Junos NETCONF over SSH. Each backs its device up with
the secrets redacted, refuses a wrong password, and sends no credential to a device whose
certificate key or host key is not the pinned one."""

from collections.abc import AsyncIterator, Iterator
from uuid import uuid4

import asyncssh
import pytest
from netraven_lab.netconf_server import NetconfDevice
from netraven_lab.panos_api import PanosApi
from netraven_shared.drivers.secret_check import surviving_secrets
from netraven_shared.host_keys import X509_SPKI, HostKey
from netraven_worker.collection import DeviceUnreachable, Login, PermanentFailure, Target
from netraven_worker.inputs import collect_by_input
from netraven_worker.jump_host import JumpHost
from netraven_worker.timeouts import Timeouts

from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.lab import LAB_PASSWORD, LAB_USERNAME
from tests.worker.trust import CATALOG, back_up_once, backup_service, pin_host_key

pytestmark = pytest.mark.timeout(120)

PANOS_SECRETS = ["$5$kzvtczlq$", "Pa-Api-Snmp-R0", "-AQ==aWtlLXBzay1icmFuY2g=", "-AQ==TGRhcEJp"]
JUNOS_SECRETS = ["$6$Kq3rT9Lz$", "$6$Zx8cV7bN$", "$9$", "Jnp-Snmp-R0"]


@pytest.fixture
def panos() -> Iterator[PanosApi]:
    with PanosApi(LAB_USERNAME, LAB_PASSWORD) as api:
        yield api


@pytest.fixture
async def junos() -> AsyncIterator[NetconfDevice]:
    async with NetconfDevice(LAB_USERNAME, LAB_PASSWORD) as device:
        yield device


async def device_with(admin, port: int, device_type: str, *passwords: str) -> dict:
    tag = unique("input")
    for priority, password in enumerate(passwords, start=1):
        await create_credential(admin, tag, password, priority=priority)
    return await create_device(admin, port, tag, device_type=device_type)


def certificate_key(api: PanosApi) -> HostKey:
    return HostKey(key_type=X509_SPKI, public_key=api.public_key)


class TestPanosXmlApi:
    async def test_the_exported_config_is_stored_with_its_secrets_redacted(
        self, admin, sessions, infra, broker, panos: PanosApi
    ) -> None:
        device = await device_with(admin, panos.port, "paloalto_panos_api", "wrong", LAB_PASSWORD)

        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, device["id"]
        )

        backed_up = outcome.backed_up
        assert backed_up is not None, outcome.events
        assert "<hostname>pa-fw-01</hostname>" in backed_up["config_text"]
        assert "<phash><redacted></phash>" in backed_up["config_text"]
        assert surviving_secrets(PANOS_SECRETS, backed_up["config_text"]) == []
        assert HostKey(**backed_up["host_key"]) == certificate_key(panos), "trusted on first use"
        assert panos.keygen_attempts == [(LAB_USERNAME, "wrong"), (LAB_USERNAME, LAB_PASSWORD)]
        assert len(backed_up["refused_credential_ids"]) == 1

    async def test_a_wrong_password_is_refused_as_an_authentication_failure(
        self, admin, sessions, infra, broker, panos: PanosApi
    ) -> None:
        device = await device_with(admin, panos.port, "paloalto_panos_api", "wrong")

        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, device["id"]
        )

        assert outcome.backed_up is None
        assert outcome.failed["error"].startswith("authentication failed with every credential")

    async def test_a_new_certificate_key_gets_no_password_and_is_reported(
        self, admin, sessions, infra, broker, panos: PanosApi
    ) -> None:
        device = await device_with(admin, panos.port, "paloalto_panos_api", LAB_PASSWORD)
        pinned = certificate_key(panos)
        await pin_host_key(sessions, device["id"], pinned)
        panos.present_new_certificate()

        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, device["id"]
        )

        assert panos.keygen_attempts == [], "no password may reach a device whose key changed"
        assert HostKey(**outcome.failed["offered_host_key"]) == certificate_key(panos)
        assert outcome.failed["error"] == (
            f"TLS certificate key changed: was {pinned.fingerprint}, now "
            f"{certificate_key(panos).fingerprint}; an admin must accept the new key"
        )

    async def test_strict_pinning_sends_nothing_to_a_device_with_no_pin(
        self, admin, sessions, infra, broker, panos: PanosApi
    ) -> None:
        device = await device_with(admin, panos.port, "paloalto_panos_api", LAB_PASSWORD)
        service = backup_service(sessions, broker, infra, host_key_policy="strict")

        outcome = await back_up_once(admin, service, broker, device["id"])

        assert panos.keygen_attempts == []
        assert HostKey(**outcome.failed["offered_host_key"]) == certificate_key(panos)


class TestJunosNetconf:
    async def test_the_running_config_is_stored_with_its_secrets_redacted(
        self, admin, sessions, infra, broker, junos: NetconfDevice
    ) -> None:
        device = await device_with(
            admin, junos.port, "juniper_junos_netconf", "wrong", LAB_PASSWORD
        )

        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, device["id"]
        )

        backed_up = outcome.backed_up
        assert backed_up is not None, outcome.events
        assert "<host-name>jnp-edge-01</host-name>" in backed_up["config_text"]
        assert "<encrypted-password><redacted></encrypted-password>" in backed_up["config_text"]
        assert surviving_secrets(JUNOS_SECRETS, backed_up["config_text"]) == []
        assert HostKey(**backed_up["host_key"]) == HostKey.parse(junos.host_key())
        assert junos.auth_attempts == [(LAB_USERNAME, "wrong"), (LAB_USERNAME, LAB_PASSWORD)]

    async def test_a_wrong_password_is_refused_as_an_authentication_failure(
        self, admin, sessions, infra, broker, junos: NetconfDevice
    ) -> None:
        device = await device_with(admin, junos.port, "juniper_junos_netconf", "wrong")

        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, device["id"]
        )

        assert outcome.backed_up is None
        assert outcome.failed["error"].startswith("authentication failed with every credential")
        assert junos.auth_attempts == [(LAB_USERNAME, "wrong")]

    async def test_a_changed_host_key_gets_no_password_and_is_reported(
        self, admin, sessions, infra, broker, junos: NetconfDevice
    ) -> None:
        device = await device_with(admin, junos.port, "juniper_junos_netconf", LAB_PASSWORD)
        pinned = HostKey.parse(junos.host_key())
        await pin_host_key(sessions, device["id"], pinned)
        service = backup_service(sessions, broker, infra)
        assert (await back_up_once(admin, service, broker, device["id"])).backed_up is not None
        await junos.present_new_host_key()
        attempts_before = junos.auth_attempts

        outcome = await back_up_once(admin, service, broker, device["id"])

        assert junos.auth_attempts == attempts_before, "no password after a key change"
        offered = HostKey.parse(junos.host_key())
        assert HostKey(**outcome.failed["offered_host_key"]) == offered
        assert outcome.failed["error"] == (
            f"host key changed: was {pinned.fingerprint}, now {offered.fingerprint}; "
            "an admin must accept the new key"
        )


class TestJunosNetconfKeyTypes:
    async def test_a_device_that_lost_the_pinned_keys_type_gets_no_password(
        self, admin, sessions, infra, broker, junos: NetconfDevice
    ) -> None:
        """With a key pinned, ncclient negotiates its type only: a device without one is refused."""
        device = await device_with(admin, junos.port, "juniper_junos_netconf", LAB_PASSWORD)
        rsa = asyncssh.generate_private_key("ssh-rsa", key_size=2048)
        await pin_host_key(sessions, device["id"], HostKey.parse(rsa.export_public_key().decode()))

        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, device["id"]
        )

        assert junos.auth_attempts == []
        assert outcome.failed["error"] == (
            f"host key changed: {device['hostname']} no longer offers a ssh-rsa key, the pinned "
            "key's type; an admin must pin its new key (or clear the pin)"
        )
        assert outcome.failed["attempts"] == 1


class TestApiRefusals:
    """What an operator reads when the login works but the API will not give the config."""

    async def test_a_role_without_export_is_told_what_permission_it_lacks(
        self, admin, sessions, infra, broker, panos: PanosApi
    ) -> None:
        panos.export_allowed = False
        device = await device_with(admin, panos.port, "paloalto_panos_api", LAB_PASSWORD)

        outcome = await back_up_once(
            admin, backup_service(sessions, broker, infra), broker, device["id"]
        )

        assert outcome.failed["error"] == (
            f"{device['hostname']} (127.0.0.1:{panos.port}): the configuration export was refused: "
            "Type [export] not authorized for user role. (the account's admin role needs XML API "
            "'Export')"
        )
        assert outcome.failed["attempts"] == 1, "not retried: an admin has to change the role"

    async def test_a_device_without_the_netconf_subsystem_is_told_how_to_enable_it(
        self, admin, sessions, infra, broker
    ) -> None:
        async with NetconfDevice(LAB_USERNAME, LAB_PASSWORD, netconf=False) as junos:
            device = await device_with(admin, junos.port, "juniper_junos_netconf", LAB_PASSWORD)

            outcome = await back_up_once(
                admin, backup_service(sessions, broker, infra), broker, device["id"]
            )

        assert "offers no netconf subsystem" in outcome.failed["error"]
        assert "set system services netconf ssh" in outcome.failed["error"]
        assert outcome.failed["attempts"] == 1


class TestUnreachable:
    """A port where nothing answers is worth another try later, with the reason in one line."""

    @pytest.mark.parametrize(
        ("device_type", "reason"),
        [
            ("paloalto_panos_api", "connection refused: is the HTTPS API enabled on this port?"),
            ("juniper_junos_netconf", "Could not open socket"),
        ],
    )
    def test_a_closed_port(self, closed_port: int, device_type: str, reason: str) -> None:
        target = Target("gone-01", "127.0.0.1", closed_port, CATALOG.driver_for(device_type))
        login = Login(uuid4(), "lab", LAB_USERNAME, LAB_PASSWORD, None)

        with pytest.raises(DeviceUnreachable) as error:
            collect_by_input(target, [login], Timeouts(connect=2, read=2))

        assert str(error.value).startswith(f"gone-01 (127.0.0.1:{closed_port}): ")
        assert reason in str(error.value)


def test_a_jump_host_is_refused_for_an_api_input() -> None:
    login = Login(uuid4(), "lab", LAB_USERNAME, LAB_PASSWORD, None)
    bastion = JumpHost(
        "bastion-1", "127.0.0.1", 22, HostKey(key_type=X509_SPKI, public_key="AAAA"), login
    )
    target = Target(
        "fw-01", "127.0.0.1", 443, CATALOG.driver_for("paloalto_panos_api"), jump_host=bastion
    )
    with pytest.raises(PermanentFailure, match="jump hosts carry CLI sessions only"):
        collect_by_input(target, [login], Timeouts(1, 1))
