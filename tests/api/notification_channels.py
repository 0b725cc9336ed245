"""Making notification channels in tests, and checking that no response or audit entry shows a
channel's secrets."""

import json

from httpx import AsyncClient

from tests.fixtures.factories import unique

SLACK_TOKEN = "TIiajkdnlazkcOXrIdevi7FQ"
SLACK_URL = f"slack://T1JJ3T3L2/A1BRTD4JD/{SLACK_TOKEN}"
WEBHOOK_TOKEN = "query-token-8b1f"
WEBHOOK_URL = f"https://hook-user:hook-password@hooks.example.net:8443/nr/in?token={WEBHOOK_TOKEN}"
URL_SECRETS = (SLACK_TOKEN, "hook-user", "hook-password", WEBHOOK_TOKEN, "/nr/in")


async def create_channel(admin: AsyncClient, **fields) -> dict:
    body = {"name": unique("channel"), "kind": "apprise", "url": SLACK_URL} | fields
    response = await admin.post("/api/notifications/channels", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def assert_hidden(body: object, *secrets: str) -> None:
    shown = json.dumps(body)
    for secret in (*URL_SECRETS, *secrets):
        assert secret not in shown, f"{secret!r} shown in {shown}"
