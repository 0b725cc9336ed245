"""/api/health says 503, with the reason, while one of the api's consumers is stopped."""

from fastapi import FastAPI
from httpx import AsyncClient


class TestReadiness:
    async def test_a_stopped_recorder_makes_the_api_not_ready_until_it_runs_again(
        self, api_app: FastAPI, anonymous: AsyncClient
    ) -> None:
        consumer = api_app.state.consumers[0]
        await consumer.close()
        try:
            response = await anonymous.get("/api/health")
            assert response.status_code == 503
            assert (
                response.json()["checks"]["consumers"] == f"consumer {consumer.durable} is stopped"
            )
        finally:
            await consumer.start()
        response = await anonymous.get("/api/health")
        assert (response.status_code, response.json()["checks"]["consumers"]) == (200, "ok")
