"""Log filters by time and text, and the level/type vocabularies, on real PostgreSQL."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from httpx import AsyncClient
from netraven_shared.db.models import LogEntry

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def write_logs(sessions, rows: list[tuple[int, str, str, str]]) -> str:
    """Rows of (minutes after T0, level, log_type, message) for a fresh device id, as log-collector
    writes them."""
    device_id = uuid4()
    async with sessions() as session:
        session.add_all(
            [
                LogEntry(
                    event_id=uuid4(),
                    timestamp=T0 + timedelta(minutes=minutes),
                    level=level,
                    log_type=log_type,
                    message=message,
                    source="test",
                    device_id=device_id,
                    extra={},
                )
                for minutes, level, log_type, message in rows
            ]
        )
        await session.commit()
    return str(device_id)


@pytest.fixture
async def device_logs(sessions) -> str:
    return await write_logs(
        sessions,
        [
            (0, "info", "job", "backup started"),
            (10, "error", "connection", "SSH timeout to r1 (100%_done)"),
            (20, "info", "config", "r1: new version abc"),
            (30, "warning", "connection", "ssh retry"),
        ],
    )


async def messages(client: AsyncClient, **params) -> list[str]:
    response = await client.get("/api/logs", params=params)
    assert response.status_code == 200, response.text
    return [item["message"] for item in response.json()["items"]]


class TestFilters:
    async def test_since_is_inclusive_and_until_exclusive(
        self, viewer: AsyncClient, device_logs: str
    ) -> None:
        since, until = (
            (T0 + timedelta(minutes=10)).isoformat(),
            (T0 + timedelta(minutes=30)).isoformat(),
        )
        assert await messages(viewer, device_id=device_logs, since=since, until=until) == [
            "r1: new version abc",
            "SSH timeout to r1 (100%_done)",
        ]

    async def test_a_time_without_offset_is_utc(
        self, viewer: AsyncClient, device_logs: str
    ) -> None:
        assert await messages(viewer, device_id=device_logs, since="2026-03-01T12:25:00") == [
            "ssh retry"
        ]
        assert await messages(viewer, device_id=device_logs, since="2026-03-01T13:25:00+01:00") == [
            "ssh retry"
        ]

    async def test_text_ignores_case_and_takes_wildcards_literally(
        self, viewer: AsyncClient, device_logs: str
    ) -> None:
        assert await messages(viewer, device_id=device_logs, q="SSH") == [
            "ssh retry",
            "SSH timeout to r1 (100%_done)",
        ]
        assert await messages(viewer, device_id=device_logs, q="%_d") == [
            "SSH timeout to r1 (100%_done)"
        ]
        assert await messages(viewer, device_id=device_logs, q="r_") == []

    async def test_filters_combine(self, viewer: AsyncClient, device_logs: str) -> None:
        assert await messages(
            viewer, device_id=device_logs, q="ssh", level="warning", since=T0.isoformat()
        ) == ["ssh retry"]

    @pytest.mark.parametrize(
        "params",
        [
            {"since": "yesterday"},
            {"until": "2026-13-01T00:00:00Z"},
            {"q": ""},
            {"q": "x" * 201},
            {"since": "2026-03-01T12:00:00Z", "until": "2026-03-01T12:00:00Z"},
        ],
    )
    async def test_bad_values_are_refused(self, viewer: AsyncClient, params: dict) -> None:
        for path in ("/api/logs", "/api/logs/types", "/api/logs/levels"):
            response = await viewer.get(path, params=params)
            assert response.status_code == 422, (path, response.text)

    async def test_the_stream_checks_the_same_filters(self, viewer: AsyncClient) -> None:
        response = await viewer.get(
            "/api/logs/stream",
            params={"since": "2026-03-02T00:00:00Z", "until": "2026-03-01T00:00:00Z"},
        )
        assert response.status_code == 422, response.text


class TestVocabularies:
    async def test_levels_in_order_of_severity_with_counts(
        self, viewer: AsyncClient, device_logs: str
    ) -> None:
        response = await viewer.get("/api/logs/levels", params={"device_id": device_logs})
        assert response.json() == [
            {"value": "debug", "count": 0},
            {"value": "info", "count": 2},
            {"value": "warning", "count": 1},
            {"value": "error", "count": 1},
        ]

    async def test_types_with_counts_under_the_filters(
        self, viewer: AsyncClient, device_logs: str
    ) -> None:
        response = await viewer.get(
            "/api/logs/types", params={"device_id": device_logs, "q": "ssh"}
        )
        assert response.json() == [
            {"value": "job", "count": 0},
            {"value": "connection", "count": 2},
            {"value": "config", "count": 0},
            {"value": "system", "count": 0},
            {"value": "bus", "count": 0},
        ]
