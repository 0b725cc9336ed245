"""Remote sites: admins register a site with the public key it generated; a device belongs to a
site or to the central workers; a site's dispatches leave the api sealed to its key, the outbox
holding only ciphertext; a site with devices cannot be deleted."""

import base64
import json
from uuid import UUID, uuid4

import pytest
from httpx import AsyncClient
from nacl.public import PrivateKey
from netraven_api.jobs.service import run_now
from netraven_api.sites.requests import sealed_for_site
from netraven_shared.db.models import ManagementNetwork, OutboxMessage
from netraven_shared.events import SiteJobDispatched
from netraven_shared.events.site_dispatch import SEALED_MAX_CHARS, SiteRequest
from netraven_shared.site_seal import fingerprint, new_private_key, open_sealed, public_key_of
from sqlalchemy import select

from tests.api.audit_entries import newest
from tests.fixtures.factories import create_credential, create_device, create_job, unique

SITE_PASSWORD = "site-device-Password-1"


def site_name() -> str:
    return unique("site").lower().replace("_", "-")[:31]


async def create_site(admin: AsyncClient, key: PrivateKey | None = None) -> dict:
    body = {"name": site_name(), "public_key": public_key_of(key or new_private_key())}
    response = await admin.post("/api/sites", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def site_device(admin: AsyncClient, site: dict, tag: str, **fields) -> dict:
    device = await create_device(admin, 2222, tag, **fields)
    response = await admin.patch(f"/api/devices/{device['id']}", json={"site_id": site["id"]})
    assert response.status_code == 200, response.text
    assert response.json()["site_id"] == site["id"]
    return response.json()


class TestRegistering:
    async def test_a_site_is_registered_with_its_public_key_and_audited(
        self, admin: AsyncClient
    ) -> None:
        key = new_private_key()
        site = await create_site(admin, key)
        assert site["public_key_fingerprint"] == fingerprint(public_key_of(key))
        assert site["subject"] == f"netraven.jobs.sites.{site['name']}"
        assert site["bus_identity"] == f"site-{site['name']}"
        assert site["device_count"] == 0
        assert (await admin.get(f"/api/sites/{site['id']}")).json()["name"] == site["name"]
        assert site["name"] in [each["name"] for each in (await admin.get("/api/sites")).json()]
        entry = await newest(admin, "site.create", object_id=site["id"])
        assert entry["changes"]["name"] == site["name"]

    @pytest.mark.parametrize(
        ("body", "why"),
        [
            ({"public_key": "bm90IGEga2V5"}, "9 bytes; an X25519 key is 32"),
            ({"public_key": "%%%"}, "not valid base64"),
            ({"name": "Branch_A"}, "pattern"),
            ({"name": "central"}, "names the central workers"),
        ],
    )
    async def test_a_bad_key_or_name_is_a_clear_422(
        self, admin: AsyncClient, body: dict, why: str
    ) -> None:
        sent = {"name": site_name(), "public_key": public_key_of(new_private_key())} | body
        response = await admin.post("/api/sites", json=sent)
        assert response.status_code == 422
        assert why in response.text

    async def test_a_taken_name_is_a_conflict(self, admin: AsyncClient) -> None:
        site = await create_site(admin)
        again = {"name": site["name"], "public_key": public_key_of(new_private_key())}
        assert (await admin.post("/api/sites", json=again)).status_code == 409

    async def test_a_rotated_key_changes_the_fingerprint(self, admin: AsyncClient) -> None:
        site, key = await create_site(admin), public_key_of(new_private_key())
        response = await admin.patch(f"/api/sites/{site['id']}", json={"public_key": key})
        assert response.status_code == 200
        assert response.json()["public_key_fingerprint"] == fingerprint(key)


class TestDevicesOfASite:
    async def test_the_list_filters_by_site_and_central(self, admin: AsyncClient) -> None:
        site, tag = await create_site(admin), unique("tag")
        at_site = await site_device(admin, site, tag)
        central = await create_device(admin, 2222, tag)
        by_site = (await admin.get("/api/devices", params={"site": site["name"]})).json()
        assert [d["id"] for d in by_site["items"]] == [at_site["id"]]
        central_ids = {
            d["id"]
            for d in (
                await admin.get("/api/devices", params={"site": "central", "tag": tag})
            ).json()["items"]
        }
        assert central_ids == {central["id"]}

    async def test_an_unknown_site_is_refused(self, admin: AsyncClient) -> None:
        device = await create_device(admin, 2222, unique("tag"))
        response = await admin.patch(
            f"/api/devices/{device['id']}", json={"site_id": "00000000-0000-4000-8000-000000000000"}
        )
        assert response.status_code == 404

    async def test_a_site_with_devices_is_not_deleted(self, admin: AsyncClient) -> None:
        site = await create_site(admin)
        await site_device(admin, site, unique("tag"))
        response = await admin.delete(f"/api/sites/{site['id']}")
        assert response.status_code == 409
        assert "still has 1 device(s)" in response.json()["error"]
        empty = await create_site(admin)
        assert (await admin.delete(f"/api/sites/{empty['id']}")).status_code == 204
        assert (await admin.get(f"/api/sites/{empty['id']}")).status_code == 404


async def outbox_dispatch(session, run_id: UUID) -> tuple[str, SiteJobDispatched]:
    row = (
        await session.execute(
            select(OutboxMessage.subject, OutboxMessage.payload).where(
                OutboxMessage.payload["run_id"].astext == str(run_id)
            )
        )
    ).one()
    return row.subject, SiteJobDispatched.model_validate(row.payload)


class TestSealedDispatch:
    async def test_the_outbox_holds_only_ciphertext_the_sites_key_opens(
        self, admin: AsyncClient, sessions, api_app
    ) -> None:
        key, tag = new_private_key(), unique("tag")
        site = await create_site(admin, key)
        credential = await create_credential(admin, tag, SITE_PASSWORD, "site-Enable-1")
        device = await site_device(admin, site, tag)
        job = await create_job(admin, [device["id"]])
        async with sessions() as session:
            run = await run_now(session, UUID(job["id"]), api_app.state.inventory_syncer)
            subject, dispatch = await outbox_dispatch(session, run.id)
            await session.rollback()
        assert subject == site["subject"]
        assert SITE_PASSWORD not in json.dumps(dispatch.model_dump(mode="json"))
        assert SITE_PASSWORD.encode() not in base64.b64decode(dispatch.sealed)
        opened = open_sealed(dispatch.sealed, key)
        assert (opened.run_id, str(opened.device_id)) == (run.id, device["id"])
        assert [(login.name, login.password) for login in opened.logins] == [
            (credential["name"], SITE_PASSWORD)
        ]
        assert opened.logins[0].enable_secret == "site-Enable-1"

    async def test_no_login_is_sealed_for_a_device_outside_the_management_networks(
        self, admin: AsyncClient, sessions, api_app
    ) -> None:
        key, tag = new_private_key(), unique("tag")
        site = await create_site(admin, key)
        await create_credential(admin, tag, SITE_PASSWORD)
        device = await site_device(admin, site, tag, ip_address="192.0.2.10")
        job = await create_job(admin, [device["id"]])
        async with sessions() as session:
            session.add(ManagementNetwork(cidr="198.51.100.0/24"))
            await session.flush()
            run = await run_now(session, UUID(job["id"]), api_app.state.inventory_syncer)
            _, dispatch = await outbox_dispatch(session, run.id)
            await session.rollback()
        opened = open_sealed(dispatch.sealed, key)
        assert opened.logins == [] and opened.jump_host is None
        assert opened.management_networks == ["198.51.100.0/24"]


class TestTooLargeToSeal:
    def test_a_request_too_large_for_a_dispatch_carries_no_login_and_says_why(self) -> None:
        key = new_private_key()
        login = {"name": "big", "username": "u", "private_key": "k" * 16_000}
        request = SiteRequest(
            run_id=uuid4(),
            device_id=uuid4(),
            hostname="branch-sw",
            address="10.0.0.1",
            port=22,
            device_type="cisco_ios",
            logins=[login | {"credential_id": uuid4()} for _ in range(4)],
        )
        sealed = sealed_for_site(request, public_key_of(key))
        assert len(sealed) <= SEALED_MAX_CHARS
        opened = open_sealed(sealed, key)
        assert opened.logins == []
        assert "more than a dispatch holds" in (opened.unreadable_credentials or "")

    def test_a_request_that_fits_is_sealed_whole(self) -> None:
        key = new_private_key()
        request = SiteRequest(
            run_id=uuid4(),
            device_id=uuid4(),
            hostname="sw",
            address="10.0.0.1",
            port=22,
            device_type="cisco_ios",
            logins=[{"credential_id": uuid4(), "name": "n", "username": "u", "password": "p"}],
        )
        assert open_sealed(sealed_for_site(request, public_key_of(key)), key) == request
