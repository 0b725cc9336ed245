"""Per-device SSH options: `timeout_seconds` and `legacy_ssh`, stored, validated, returned,
imported."""

from httpx import AsyncClient

from tests.fixtures.factories import create_device, unique


def device_body(**fields) -> dict:
    return {
        "hostname": unique("ssh"),
        "ip_address": "10.1.2.3",
        "device_type": "cisco_ios",
        **fields,
    }


class TestCreate:
    async def test_defaults_are_the_worker_timeout_and_modern_algorithms(
        self, operator: AsyncClient
    ) -> None:
        device = await create_device(operator, 22, unique("t"))
        assert (device["timeout_seconds"], device["legacy_ssh"]) == (None, False)

    async def test_options_are_stored_and_returned(self, operator: AsyncClient) -> None:
        response = await operator.post(
            "/api/devices", json=device_body(port=2222, timeout_seconds=90, legacy_ssh=True)
        )
        assert response.status_code == 201, response.text
        created = response.json()
        assert (created["port"], created["timeout_seconds"], created["legacy_ssh"]) == (
            2222,
            90,
            True,
        )
        assert (await operator.get(f"/api/devices/{created['id']}")).json() == created

    async def test_a_timeout_outside_5_to_600_seconds_is_422_with_the_reason(
        self, operator: AsyncClient
    ) -> None:
        for seconds, reason in (
            (4, "greater than or equal to 5"),
            (601, "less than or equal to 600"),
        ):
            response = await operator.post(
                "/api/devices", json=device_body(timeout_seconds=seconds)
            )
            assert response.status_code == 422
            problems = response.json()["detail"]
            assert [p["field"] for p in problems] == ["timeout_seconds"]
            assert reason in problems[0]["message"]

    async def test_legacy_ssh_must_be_a_boolean(self, operator: AsyncClient) -> None:
        response = await operator.post("/api/devices", json=device_body(legacy_ssh="sometimes"))
        assert response.status_code == 422
        assert [p["field"] for p in response.json()["detail"]] == ["legacy_ssh"]


class TestUpdate:
    async def test_options_change_and_null_restores_the_default_timeout(
        self, operator: AsyncClient
    ) -> None:
        device = (await operator.post("/api/devices", json=device_body(timeout_seconds=30))).json()
        changed = (
            await operator.patch(f"/api/devices/{device['id']}", json={"legacy_ssh": True})
        ).json()
        assert (changed["timeout_seconds"], changed["legacy_ssh"]) == (30, True)
        reset = (
            await operator.patch(f"/api/devices/{device['id']}", json={"timeout_seconds": None})
        ).json()
        assert (reset["timeout_seconds"], reset["legacy_ssh"]) == (None, True)

    async def test_an_invalid_timeout_is_422_and_changes_nothing(
        self, operator: AsyncClient
    ) -> None:
        device = (await operator.post("/api/devices", json=device_body(timeout_seconds=30))).json()
        response = await operator.patch(f"/api/devices/{device['id']}", json={"timeout_seconds": 0})
        assert response.status_code == 422
        assert (await operator.get(f"/api/devices/{device['id']}")).json()["timeout_seconds"] == 30


class TestImport:
    async def test_csv_columns_carry_the_options(self, operator: AsyncClient) -> None:
        old, new = unique("old-sw"), unique("new-sw")
        body = (
            "hostname,ip_address,device_type,port,timeout_seconds,legacy_ssh\n"
            f"{old},10.0.0.1,cisco_ios,2222,120,true\n"
            f"{new},10.0.0.2,cisco_ios,,,\n"
        )
        report = (
            await operator.post(
                "/api/devices/import", content=body, headers={"Content-Type": "text/csv"}
            )
        ).json()
        assert (report["created"], report["failed"]) == (2, 0), report
        devices = {
            d["hostname"]: d
            for d in (
                await operator.get("/api/devices", params={"q": "-sw-", "limit": 500})
            ).json()["items"]
        }
        assert (
            devices[old]["port"],
            devices[old]["timeout_seconds"],
            devices[old]["legacy_ssh"],
        ) == (2222, 120, True)
        assert (
            devices[new]["port"],
            devices[new]["timeout_seconds"],
            devices[new]["legacy_ssh"],
        ) == (22, None, False)

    async def test_json_rows_carry_the_options_and_bad_values_fail_their_row(
        self, operator: AsyncClient
    ) -> None:
        good, bad = unique("json-ok"), unique("json-bad")
        rows = [
            device_body(hostname=good, timeout_seconds=15, legacy_ssh=True),
            device_body(hostname=bad, timeout_seconds=1000),
        ]
        report = (await operator.post("/api/devices/import", json={"devices": rows})).json()
        assert (report["created"], report["failed"]) == (1, 1)
        assert "timeout_seconds" in report["rows"][1]["error"]
        imported = (await operator.get("/api/devices", params={"q": good})).json()["items"][0]
        assert (imported["timeout_seconds"], imported["legacy_ssh"]) == (15, True)
