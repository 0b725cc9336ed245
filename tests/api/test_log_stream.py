"""The live log stream resumes where a browser left off, with the stream token and the resume point
in the URL (a browser's EventSource cannot send headers when it reopens with a fresh token)."""

import asyncio
import json
from uuid import uuid4

from fastapi import FastAPI
from httpx import AsyncClient
from netraven_api.logs.feed import POLL_SECONDS
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import LogEntry

from tests.api.read_sse import read_events


async def first_log_events(app: FastAPI, params: dict[str, str], count: int) -> list[dict]:
    """Open GET /api/logs/stream on the app itself and read `count` log events, then hang up."""
    return await read_events(
        app,
        "/api/logs/stream",
        params,
        "log",
        lambda events: len(events) >= count,
        timeout=5 * POLL_SECONDS + 10,
        parse=parse,
    )


def parse(block: str) -> dict:
    fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
    return {"sse_id": fields["id"], **json.loads(fields["data"])}


async def write_logs(sessions, messages: list[str]) -> tuple[str, list[int]]:
    device_id = uuid4()
    async with sessions() as session:
        entries = [
            LogEntry(
                event_id=uuid4(),
                timestamp=utc_now(),
                level="info",
                log_type="job",
                message=message,
                source="test",
                device_id=device_id,
                extra={},
            )
            for message in messages
        ]
        session.add_all(entries)
        await session.commit()
        return str(device_id), [entry.id for entry in entries]


class TestResume:
    async def test_a_reopened_stream_continues_after_last_event_id_in_the_url(
        self,
        api_app: FastAPI,
        sessions,
        viewer: AsyncClient,
    ) -> None:
        device_id, ids = await write_logs(sessions, ["first", "second", "third"])
        token = (await viewer.post("/api/logs/stream-token")).json()["token"]

        events = await first_log_events(
            api_app,
            {"token": token, "device_id": device_id, "last_event_id": str(ids[0])},
            count=2,
        )

        assert [(e["sse_id"], e["message"]) for e in events] == [
            (str(ids[1]), "second"),
            (str(ids[2]), "third"),
        ]

    async def test_a_bad_resume_point_is_422_before_the_stream_opens(
        self,
        viewer: AsyncClient,
    ) -> None:
        response = await viewer.get("/api/logs/stream", params={"last_event_id": "9" * 19})
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "query.last_event_id"


class TestOneFeedForEveryStream:
    async def test_streams_with_different_filters_share_one_poll_and_each_keeps_its_own(
        self,
        api_app: FastAPI,
        sessions,
        viewer: AsyncClient,
    ) -> None:
        token = (await viewer.post("/api/logs/stream-token")).json()["token"]
        first_device, second_device = str(uuid4()), str(uuid4())
        openings = [asyncio.Event() for _ in range(3)]
        wanted = {first_device: 2, second_device: 1}
        readers = [
            asyncio.create_task(
                read_events(
                    api_app,
                    "/api/logs/stream",
                    {"token": token, "device_id": device_id},
                    "log",
                    lambda events, device_id=device_id: len(events) >= wanted[device_id],
                    opened,
                )
            )
            for device_id, opened in zip((first_device, first_device, second_device), openings)
        ]
        await asyncio.wait_for(asyncio.gather(*(opened.wait() for opened in openings)), 10)
        assert api_app.state.log_feed.listeners == 3

        async with sessions() as session:
            written = (("one", first_device), ("other", second_device), ("two", first_device))
            session.add_all(
                LogEntry(
                    event_id=uuid4(),
                    timestamp=utc_now(),
                    level="info",
                    log_type="job",
                    message=message,
                    source="test",
                    device_id=device_id,
                    extra={},
                )
                for message, device_id in written
            )
            await session.commit()

        first, again, second = await asyncio.gather(*readers)
        assert [e["message"] for e in first] == [e["message"] for e in again] == ["one", "two"]
        assert [e["message"] for e in second] == ["other"]
