from httpx import AsyncClient

from tests.fixtures.factories import create_device, unique

CSV_HEADER = "hostname,ip_address,device_type,port,tags\n"


def row(hostname: str, **fields: object) -> dict:
    return {"hostname": hostname, "ip_address": "10.2.0.1", "device_type": "cisco_ios"} | fields


async def _import_json(client: AsyncClient, rows: list) -> dict:
    response = await client.post("/api/devices/import", json={"devices": rows})
    assert response.status_code == 200, response.text
    return response.json()


async def _device(client: AsyncClient, hostname: str) -> dict | None:
    items = (await client.get("/api/devices", params={"q": hostname})).json()["items"]
    return next((d for d in items if d["hostname"] == hostname), None)


class TestJsonImport:
    async def test_valid_rows_are_created_with_their_fields(self, operator: AsyncClient) -> None:
        first, second = unique("imp"), unique("imp")
        report = await _import_json(
            operator, [row(first, port=830, tags=["core", "lab"]), row(second)]
        )
        assert (report["created"], report["failed"]) == (2, 0)
        assert report["rows"] == [
            {"row": 1, "hostname": first, "status": "created", "error": None},
            {"row": 2, "hostname": second, "status": "created", "error": None},
        ]
        created = await _device(operator, first)
        assert (created["port"], created["tags"]) == (830, ["core", "lab"])
        assert (await _device(operator, second))["tags"] == ["default"]

    async def test_invalid_rows_are_reported_and_skipped_while_valid_rows_are_created(
        self, operator: AsyncClient
    ) -> None:
        good, bad = unique("imp"), unique("imp")
        report = await _import_json(
            operator, [row(bad, ip_address="300.1.1.1", port=0), row(good), "not an object"]
        )
        assert (report["created"], report["failed"]) == (1, 2)
        failed = report["rows"][0]
        assert (failed["status"], failed["hostname"]) == ("failed", bad)
        assert "ip_address" in failed["error"] and "port" in failed["error"]
        assert report["rows"][1]["status"] == "created"
        assert (report["rows"][2]["status"], report["rows"][2]["hostname"]) == ("failed", None)
        assert await _device(operator, bad) is None
        assert await _device(operator, good) is not None

    async def test_a_hostname_twice_in_the_file_creates_only_the_first(
        self, operator: AsyncClient
    ) -> None:
        name = unique("imp")
        report = await _import_json(operator, [row(name, port=22), row(name, port=23)])
        assert [r["status"] for r in report["rows"]] == ["created", "failed"]
        assert "row 1" in report["rows"][1]["error"]
        assert (await _device(operator, name))["port"] == 22

    async def test_a_hostname_already_in_the_inventory_fails_its_row(
        self, operator: AsyncClient
    ) -> None:
        existing = await create_device(operator, 2400, "t")
        report = await _import_json(operator, [row(existing["hostname"], port=9999)])
        assert (report["created"], report["failed"]) == (0, 1)
        assert "already in the inventory" in report["rows"][0]["error"]
        assert (await _device(operator, existing["hostname"]))["port"] == 2400

    async def test_a_nul_in_a_tag_fails_its_row_not_the_import(self, operator: AsyncClient) -> None:
        bad, good = unique("imp"), unique("imp")
        report = await _import_json(operator, [row(bad, tags=["a\x00b"]), row(good)])
        assert [r["status"] for r in report["rows"]] == ["failed", "created"]


class TestCsvImport:
    async def test_a_text_csv_body(self, operator: AsyncClient) -> None:
        first, second = unique("csv"), unique("csv")
        body = (
            f"{CSV_HEADER}{first},10.3.0.1,cisco_ios,2222,core; edge\n\n"
            f"{second},10.3.0.2,arista_eos,,\n"
        )
        response = await operator.post(
            "/api/devices/import", content=body, headers={"Content-Type": "text/csv"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["created"] == 2
        created = await _device(operator, first)
        assert (created["port"], created["tags"]) == (2222, ["core", "edge"])
        assert (
            (await _device(operator, second))["port"],
            (await _device(operator, second))["tags"],
        ) == (22, ["default"])

    async def test_a_multipart_upload_with_a_bom_and_optional_columns_left_out(
        self, operator: AsyncClient
    ) -> None:
        name = unique("csv")
        file = f"\ufeffHostname,IP_Address,device_type\n{name},10.3.0.3,cisco_ios\n".encode()
        response = await operator.post(
            "/api/devices/import", files={"file": ("devices.csv", file, "text/csv")}
        )
        assert response.status_code == 200, response.text
        assert response.json()["rows"] == [
            {"row": 1, "hostname": name, "status": "created", "error": None}
        ]

    async def test_bad_rows_are_numbered_from_the_first_data_line(
        self, operator: AsyncClient
    ) -> None:
        good = unique("csv")
        body = (
            f"{CSV_HEADER}{good},10.3.0.4,cisco_ios,,\nbad "
            "host,10.3.0.5,cisco_ios,,\nx,10.3.0.6,cisco_ios,22,t,extra\n"
        )
        report = (
            await operator.post(
                "/api/devices/import", content=body, headers={"Content-Type": "text/csv"}
            )
        ).json()
        assert [(r["row"], r["status"]) for r in report["rows"]] == [
            (1, "created"),
            (2, "failed"),
            (3, "failed"),
        ]
        assert "hostname" in report["rows"][1]["error"]
        assert "more values" in report["rows"][2]["error"]

    async def test_a_header_without_required_columns_is_422(self, operator: AsyncClient) -> None:
        response = await operator.post(
            "/api/devices/import",
            content="name,ip\nsw1,10.0.0.1\n",
            headers={"Content-Type": "text/csv"},
        )
        assert response.status_code == 422
        assert response.json()["detail"] == {
            "missing": ["device_type", "hostname", "ip_address"],
            "unknown": ["ip", "name"],
        }

    async def test_a_file_that_is_not_utf8_is_422(self, operator: AsyncClient) -> None:
        response = await operator.post(
            "/api/devices/import", files={"file": ("d.csv", b"\xff\xfe\x00h", "text/csv")}
        )
        assert response.status_code == 422
        assert "UTF-8" in response.json()["error"]


class TestLimits:
    async def test_more_than_ten_thousand_rows_is_413_and_creates_nothing(
        self, operator: AsyncClient
    ) -> None:
        name = unique("big")
        rows = [row(f"{name}-{i}") for i in range(10_001)]
        response = await operator.post("/api/devices/import", json={"devices": rows})
        assert response.status_code == 413
        assert "10000" in response.json()["error"]
        assert (await operator.get("/api/devices", params={"q": name})).json()["total"] == 0

    async def test_ten_thousand_rows_are_accepted_in_one_go(self, operator: AsyncClient) -> None:
        name = unique("bulk")
        rows = [row(f"{name}-{i:05}", tags=[name, f"{name}-{i % 3}"]) for i in range(10_000)]
        report = await _import_json(operator, rows)
        assert (report["created"], report["failed"]) == (10_000, 0)
        assert (await operator.get("/api/devices", params={"tag": f"{name}-1"})).json()[
            "total"
        ] == 3333

    async def test_an_empty_list_is_422(self, operator: AsyncClient) -> None:
        assert (await operator.post("/api/devices/import", json={"devices": []})).status_code == 422

    async def test_a_body_that_is_not_json_is_422(self, operator: AsyncClient) -> None:
        response = await operator.post(
            "/api/devices/import",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 422
        assert set(response.json()) == {"error", "detail"}

    async def test_another_media_type_is_415(self, operator: AsyncClient) -> None:
        response = await operator.post(
            "/api/devices/import", content=b"<xml/>", headers={"Content-Type": "application/xml"}
        )
        assert response.status_code == 415

    async def test_a_viewer_cannot_import(self, viewer: AsyncClient) -> None:
        assert (
            await viewer.post("/api/devices/import", json={"devices": [row(unique("v"))]})
        ).status_code == 403
