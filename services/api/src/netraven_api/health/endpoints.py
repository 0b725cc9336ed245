from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    checks: dict[str, str]


# Two routes, not one with two methods: FastAPI names a multi-method route's operation after
# whichever method its set yields first, which changes from one process to the next.
@router.get(
    "/health",
    response_model=Health,
    summary="Liveness of the api, its database and NATS connections, and its consumers",
)
@router.head("/health", summary="The api's liveness as a status code alone")
async def health(request: Request) -> JSONResponse:
    checks = {}
    try:
        async with request.app.state.sessions() as session:
            await session.execute(text("select 1"))
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001  (any failure is the answer: unreachable, and why)
        checks["database"] = f"unreachable: {type(error).__name__}"
    checks["nats"] = "ok" if await request.app.state.broker.ping(timeout=2) else "unreachable"
    stopped = [
        reason
        for consumer in request.app.state.consumers
        if (reason := consumer.not_ready_reason()) is not None
    ]
    checks["consumers"] = "; ".join(stopped) or "ok"
    healthy = all(value == "ok" for value in checks.values())
    body = Health(status="ok" if healthy else "degraded", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)
