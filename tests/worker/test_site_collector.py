"""A remote site's collector: its settings hold no database and no credential key, and it builds
a backup's device, logins, filters and jump host from the sealed request alone, rejecting what its
key does not open or what names another run or device."""

import uuid
from pathlib import Path

import pytest
from netraven_shared.crypto import MissingCredentialKey
from netraven_shared.events import JobDispatched, SiteJobDispatched
from netraven_shared.events.site_dispatch import SiteRequest
from netraven_shared.host_keys import HostKey
from netraven_shared.rejection import Rejected
from netraven_shared.site_seal import new_private_key, public_key_of, seal
from netraven_worker.config import WorkerSettings
from netraven_worker.sealed_read import SealedReader
from pydantic import ValidationError

PIN = HostKey(key_type="ssh-ed25519", public_key="AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6")
KEY = new_private_key()


def sealed_request(**fields: object) -> SiteRequest:
    base: dict = {
        "run_id": uuid.uuid4(),
        "device_id": uuid.uuid4(),
        "hostname": "branch-a-sw-01",
        "address": "10.20.0.11",
        "port": 2222,
        "device_type": "cisco_ios",
        "pinned_host_key": PIN,
        "management_networks": ["10.20.0.0/16"],
        "logins": [
            {"credential_id": uuid.uuid4(), "name": "ops", "username": "u", "password": "p"},
        ],
        "filters": [{"name": "drop-ntp", "version": 3, "noise": ["^ntp clock-period"]}],
        "jump_host": {
            "name": "bastion",
            "address": "10.20.0.1",
            "port": 22,
            "pinned_host_key": PIN,
            "login": {"credential_id": uuid.uuid4(), "name": "jump", "username": "j"},
        },
    }
    return SiteRequest.model_validate(base | fields)


def dispatch(
    request: SiteRequest, site: str = "branch-a", key: str | None = None
) -> SiteJobDispatched:
    return SiteJobDispatched(
        run_id=request.run_id,
        device_id=request.device_id,
        trigger="manual",
        site=site,
        sealed=seal(request, key or public_key_of(KEY)),
    )


class TestSealedReader:
    async def test_it_reads_what_the_database_reader_would(self) -> None:
        request = sealed_request()
        read = await SealedReader("branch-a", KEY).read(dispatch(request))
        assert read.device is not None and not read.device.settled
        assert (read.device.id, read.device.ip_address, read.device.port) == (
            request.device_id,
            "10.20.0.11",
            2222,
        )
        assert read.device.management_networks == ("10.20.0.0/16",)
        assert read.device.pinned_host_key == PIN
        assert isinstance(read.logins, list)
        assert [(login.name, login.password) for login in read.logins] == [("ops", "p")]
        assert [each.label for each in read.filters] == ["drop-ntp v3"]
        assert read.jump_host is not None and read.jump_host.login.name == "jump"

    async def test_credentials_the_api_could_not_decrypt_fail_as_at_a_central_worker(
        self,
    ) -> None:
        request = sealed_request(logins=[], unreadable_credentials="key k1 is not in the ring")
        read = await SealedReader("branch-a", KEY).read(dispatch(request))
        assert isinstance(read.logins, MissingCredentialKey)

    async def test_a_request_sealed_to_another_key_is_rejected(self) -> None:
        other = public_key_of(new_private_key())
        with pytest.raises(Rejected, match="does not open"):
            await SealedReader("branch-a", KEY).read(dispatch(sealed_request(), key=other))

    async def test_a_sealed_request_moved_to_another_dispatch_is_rejected(self) -> None:
        moved = dispatch(sealed_request()).model_copy(update={"device_id": uuid.uuid4()})
        with pytest.raises(Rejected, match="not the dispatch's"):
            await SealedReader("branch-a", KEY).read(moved)

    async def test_another_sites_request_or_a_central_one_is_rejected(self) -> None:
        reader = SealedReader("branch-a", KEY)
        with pytest.raises(Rejected, match="serves site branch-a only"):
            await reader.read(dispatch(sealed_request(), site="branch-b"))
        central = JobDispatched(run_id=uuid.uuid4(), device_id=uuid.uuid4(), trigger="manual")
        with pytest.raises(Rejected):
            await reader.read(central)


class TestSiteCollectorSettings:
    def test_it_needs_no_database_and_no_credential_key_in_production(self, tmp_path: Path) -> None:
        settings = WorkerSettings(
            mode="production",
            worker_site="branch-a",
            site_key_file=tmp_path / "site.key",
            nats_nkey=tmp_path / "site.nk",
            nats_ca=tmp_path / "ca.pem",
        )
        assert settings.bus_identity == "site-branch-a"

    @pytest.mark.parametrize(
        "given",
        [
            {"database_url": "postgresql+asyncpg://x@db/netraven"},
            {"credential_keys": "k1:diJOuLvSBL77xGyNfxocy5Z5smZic7vUxuebd3bXKqw="},
        ],
    )
    def test_it_refuses_the_database_or_the_key_ring(self, tmp_path: Path, given: dict) -> None:
        with pytest.raises(ValidationError, match="must hold neither the database"):
            WorkerSettings(
                mode="development",
                worker_site="branch-a",
                site_key_file=tmp_path / "k",
                **given,
            )

    def test_it_refuses_to_start_without_its_site_key(self) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_SITE_KEY_FILE"):
            WorkerSettings(mode="development", worker_site="branch-a")

    def test_a_central_worker_still_needs_the_key_ring_in_production(self, tmp_path: Path) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_CREDENTIAL_KEYS"):
            WorkerSettings(mode="production", nats_nkey=tmp_path / "n", nats_ca=tmp_path / "c")
