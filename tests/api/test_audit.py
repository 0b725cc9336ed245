"""Every kind of change lands in the audit trail with who, from where, what changed (secrets only
named)."""

from httpx import AsyncClient

from tests.api.audit_entries import actor_of, assert_no_secret, newest
from tests.api.trust import create_device_at, host_key
from tests.fixtures.factories import (
    create_credential,
    create_device,
    create_job,
    create_tag,
    unique,
)

ADMIN_HERE = ("admin", "admin", "127.0.0.1", "success")
OPERATOR_HERE = ("operator", "operator", "127.0.0.1", "success")


class TestDevices:
    async def test_create_names_every_field_sent(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        device = await create_device(operator, 2900, unique("audit"))
        entry = await newest(admin, "device.create", object_id=device["id"])
        assert actor_of(entry) == OPERATOR_HERE
        assert entry["object_type"] == "device"
        assert (entry["changes"]["hostname"], entry["changes"]["port"]) == (
            device["hostname"],
            2900,
        )

    async def test_update_records_old_and_new_of_what_changed_only(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        device = await create_device(operator, 2901, unique("audit"))
        body = {"port": 2902, "hostname": device["hostname"]}
        assert (await operator.patch(f"/api/devices/{device['id']}", json=body)).status_code == 200
        entry = await newest(admin, "device.update", object_id=device["id"])
        assert entry["changes"] == {"port": {"old": 2901, "new": 2902}}
        assert actor_of(entry) == OPERATOR_HERE

    async def test_delete_keeps_the_hostname(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        device = await create_device(operator, 2903, unique("audit"))
        assert (await operator.delete(f"/api/devices/{device['id']}")).status_code == 204
        entry = await newest(admin, "device.delete", object_id=device["id"])
        assert entry["changes"] == {"hostname": device["hostname"]}

    async def test_import_counts_what_it_created(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        rows = [
            {"hostname": unique("imp"), "ip_address": "127.0.0.1", "device_type": "cisco_ios"},
            {"hostname": ""},
        ]
        response = await operator.post("/api/devices/import", json={"devices": rows})
        assert response.status_code == 200, response.text
        entry = await newest(admin, "device.import")
        assert entry["changes"] == {"created": 1, "failed": 1, "pinned_host_keys": 0}
        assert actor_of(entry) == OPERATOR_HERE

    async def test_an_ad_hoc_backup_names_its_run(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        device = await create_device(operator, 2904, unique("audit"))
        run_id = (await operator.post(f"/api/devices/{device['id']}/backup")).json()["run_id"]
        entry = await newest(admin, "device.backup", object_id=device["id"])
        assert entry["changes"] == {"run_id": run_id}


class TestTagsAndJobsAndRuns:
    async def test_a_tag_rename_and_delete(self, admin: AsyncClient, operator: AsyncClient) -> None:
        tag = await create_tag(operator)
        new_name = unique("renamed")
        assert (
            await operator.patch(f"/api/tags/{tag['id']}", json={"name": new_name})
        ).status_code == 200
        assert (await newest(admin, "tag.update", object_id=tag["id"]))["changes"] == {
            "name": {"old": tag["name"], "new": new_name}
        }
        assert (await operator.delete(f"/api/tags/{tag['id']}")).status_code == 204
        assert (await newest(admin, "tag.delete", object_id=tag["id"]))["changes"] == {
            "name": new_name
        }

    async def test_a_job_create_update_run_and_run_cancel(
        self, admin: AsyncClient, operator: AsyncClient
    ) -> None:
        device = await create_device(operator, 2905, unique("audit"))
        job = await create_job(operator, [device["id"]])
        assert (await newest(admin, "job.create", object_id=job["id"]))["changes"][
            "device_ids"
        ] == [device["id"]]
        assert (
            await operator.patch(f"/api/jobs/{job['id']}", json={"enabled": False})
        ).status_code == 200
        assert (await newest(admin, "job.update", object_id=job["id"]))["changes"] == {
            "enabled": {"old": True, "new": False}
        }
        run_id = (await operator.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
        assert (await newest(admin, "job.run", object_id=job["id"]))["changes"] == {
            "run_id": run_id
        }
        assert (await operator.post(f"/api/runs/{run_id}/cancel")).status_code == 200
        assert actor_of(await newest(admin, "run.cancel", object_id=run_id)) == OPERATOR_HERE


class TestSecrets:
    async def test_a_credential_names_its_secrets_and_never_their_values(
        self, admin: AsyncClient
    ) -> None:
        credential = await create_credential(
            admin, unique("audit"), "first-Secret-pw", enable_secret="first-Enable-secret"
        )
        created = await newest(admin, "credential.create", object_id=credential["id"])
        assert (created["changes"]["password"], created["changes"]["enable_secret"]) == (
            "(changed)",
            "(changed)",
        )
        body = {
            "password": "second-Secret-pw",
            "enable_secret": "second-Enable-secret",
            "priority": 7,
        }
        assert (
            await admin.patch(f"/api/credentials/{credential['id']}", json=body)
        ).status_code == 200
        updated = await newest(admin, "credential.update", object_id=credential["id"])
        assert updated["changes"] == {
            "password": "(changed)",
            "enable_secret": "(changed)",
            "priority": {"old": 100, "new": 7},
        }
        assert actor_of(updated) == ADMIN_HERE
        for entry in (created, updated):
            assert_no_secret(
                entry,
                "first-Secret-pw",
                "first-Enable-secret",
                "second-Secret-pw",
                "second-Enable-secret",
            )

    async def test_a_user_password_set_by_an_admin_is_only_named(self, admin: AsyncClient) -> None:
        password, reset = "created-Password-1", "reset-Password-22"
        user = (
            await admin.post(
                "/api/users",
                json={"username": unique("u"), "password": password, "role": "operator"},
            )
        ).json()
        created = await newest(admin, "user.create", object_id=user["id"])
        assert created["changes"] == {
            "username": user["username"],
            "password": "(changed)",
            "role": "operator",
        }
        assert (
            await admin.patch(
                f"/api/users/{user['id']}", json={"password": reset, "role": "viewer"}
            )
        ).status_code == 200
        updated = await newest(admin, "user.update", object_id=user["id"])
        assert updated["changes"] == {
            "password": "(changed)",
            "role": {"old": "operator", "new": "viewer"},
        }
        assert_no_secret(created, password)
        assert_no_secret(updated, password, reset)

    async def test_changing_ones_own_password_is_recorded_without_it(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        name, first, second = unique("self"), "first-Password-123", "second-Password-456"
        await admin.post("/api/users", json={"username": name, "password": first})
        token = (
            await anonymous.post("/api/auth/token", data={"username": name, "password": first})
        ).json()["access_token"]
        body = {"current_password": first, "new_password": second}
        response = await anonymous.post(
            "/api/auth/password", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 204, response.text
        entry = await newest(admin, "user.change_password", actor=name)
        assert (entry["actor_name"], entry["changes"]) == (name, {"password": "(changed)"})
        assert_no_secret(entry, first, second)


class TestSecurityDecisions:
    async def test_pinning_and_clearing_a_host_key_record_the_fingerprints(
        self, admin: AsyncClient
    ) -> None:
        device, key = await create_device_at(admin), host_key()
        assert (
            await admin.put(
                f"/api/devices/{device['id']}/host-key", json={"public_key": key.openssh()}
            )
        ).status_code == 200
        pinned = await newest(admin, "host_key.pinned", object_id=device["id"])
        assert (pinned["object_type"], pinned["changes"]) == (
            "device",
            {"fingerprint": {"old": None, "new": key.fingerprint}},
        )
        assert (await admin.delete(f"/api/devices/{device['id']}/host-key")).status_code == 204
        cleared = await newest(admin, "host_key.cleared", object_id=device["id"])
        assert cleared["changes"] == {"fingerprint": {"old": key.fingerprint, "new": None}}
        assert actor_of(cleared) == ADMIN_HERE

    async def test_replacing_the_management_networks_records_old_and_new(
        self, admin: AsyncClient
    ) -> None:
        before = [
            n["cidr"] for n in (await admin.get("/api/management-networks")).json()["networks"]
        ]
        body = {"networks": [{"cidr": "0.0.0.0/0"}]}
        assert (await admin.put("/api/management-networks", json=body)).status_code == 200
        entry = await newest(admin, "management_networks.replaced")
        assert entry["changes"] == {"networks": {"old": before, "new": ["0.0.0.0/0"]}}
        assert (
            await admin.put(
                "/api/management-networks", json={"networks": [{"cidr": c} for c in before]}
            )
        ).status_code == 200


class TestSessions:
    async def test_signing_out_everywhere_is_recorded(
        self, admin: AsyncClient, anonymous: AsyncClient
    ) -> None:
        name, password = unique("out"), "sign-out-Password-1"
        await admin.post("/api/users", json={"username": name, "password": password})
        token = (
            await anonymous.post("/api/auth/token", data={"username": name, "password": password})
        ).json()["access_token"]
        response = await anonymous.post(
            "/api/auth/sign-out-everywhere", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 204
        entry = await newest(admin, "user.sign_out_everywhere", actor=name)
        assert (entry["actor_role"], entry["outcome"]) == ("viewer", "success")
