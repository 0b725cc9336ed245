"""The OpenAPI document tells clients what errors look like: every error is `ErrorOut`."""

import pytest
from fastapi import FastAPI

from tests.api.endpoint_roles import ADMIN, OPERATOR, PUBLIC, RULES, endpoints

ERROR_REF = "#/components/schemas/ErrorOut"


def error_schema_of(operation: dict, status: str) -> str | None:
    response = operation["responses"].get(status)
    if response is None:
        return None
    return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")


@pytest.fixture(scope="module")
def operations(api_app: FastAPI) -> dict[str, dict]:
    return endpoints(api_app)


class TestErrorModel:
    def test_error_out_is_the_error_shape(self, api_app: FastAPI) -> None:
        schemas = api_app.openapi()["components"]["schemas"]
        assert set(schemas["ErrorOut"]["properties"]) == {"error", "detail"}
        assert schemas["ErrorOut"]["required"] == ["error"]
        assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas

    def test_every_operation_taking_input_documents_its_422(
        self, operations: dict[str, dict]
    ) -> None:
        takes_input = {
            e: op for e, op in operations.items() if op.get("parameters") or op.get("requestBody")
        }
        assert "POST /api/devices/import" in takes_input  # a body declared by hand still counts
        wrong = [e for e, op in takes_input.items() if error_schema_of(op, "422") != ERROR_REF]
        assert not wrong, "422 not documented as ErrorOut"

    def test_every_operation_behind_a_token_documents_its_401(
        self, operations: dict[str, dict]
    ) -> None:
        wrong = [
            e
            for e, op in operations.items()
            if RULES[e] != PUBLIC and error_schema_of(op, "401") != ERROR_REF
        ]
        assert not wrong, "401 not documented as ErrorOut"

    def test_every_operation_above_viewer_documents_its_403(
        self, operations: dict[str, dict]
    ) -> None:
        wrong = [
            e
            for e, op in operations.items()
            if RULES[e] in (OPERATOR, ADMIN) and error_schema_of(op, "403") != ERROR_REF
        ]
        assert not wrong, "403 not documented as ErrorOut"

    def test_every_documented_error_is_error_out(self, operations: dict[str, dict]) -> None:
        wrong = [
            f"{e} {status}"
            for e, op in operations.items()
            for status in op["responses"]
            if int(status) >= 400 and error_schema_of(op, status) != ERROR_REF
        ]
        assert not wrong

    def test_lookups_by_id_document_404_and_name_clashes_409(
        self, operations: dict[str, dict]
    ) -> None:
        for endpoint in (
            "GET /api/credentials/{credential_id}",
            "DELETE /api/devices/{device_id}",
            "GET /api/runs/{run_id}",
        ):
            assert error_schema_of(operations[endpoint], "404") == ERROR_REF, endpoint
        for endpoint in (
            "POST /api/credentials",
            "PATCH /api/credentials/{credential_id}",
            "POST /api/tags",
        ):
            assert error_schema_of(operations[endpoint], "409") == ERROR_REF, endpoint


class TestSummaries:
    def test_every_operation_has_a_summary(self, operations: dict[str, dict]) -> None:
        assert not [e for e, op in operations.items() if not op.get("summary", "").strip()]
