import json

from netraven_api import openapi_schema


class TestOpenApiSchema:
    def test_writes_the_document_without_a_database_or_a_bus(self, tmp_path, monkeypatch):
        monkeypatch.setenv("NETRAVEN_DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")
        target = tmp_path / "openapi.json"

        assert openapi_schema.main([str(target)]) == 0

        document = json.loads(target.read_text())
        assert "/api/runs/{run_id}/cancel" in document["paths"]
        assert "RunOut" in document["components"]["schemas"]

    def test_the_environment_does_not_change_it(self, monkeypatch):
        before = openapi_schema.openapi_document()
        monkeypatch.setenv("NETRAVEN_LOCAL_LOGIN", "false")
        monkeypatch.setenv("NETRAVEN_FRONTEND_DIST", "/nonexistent")

        assert openapi_schema.openapi_document() == before
