"""Reading the audit trail in tests: the newest entry of an action, and a check that it leaks no
secret."""

import json

from httpx import AsyncClient


async def newest(admin: AsyncClient, action: str, **filters: str) -> dict:
    response = await admin.get("/api/audit", params={"action": action, "limit": 1, **filters})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert items, f"no audit entry for {action} {filters}"
    assert items[0]["action"] == action
    return items[0]


def assert_no_secret(entry: dict, *secrets: str) -> None:
    serialized = json.dumps(entry)
    for secret in secrets:
        assert secret not in serialized


def actor_of(entry: dict) -> tuple:
    return entry["actor_name"], entry["actor_role"], entry["source_address"], entry["outcome"]
