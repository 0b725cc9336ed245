"""`GET /api/mirrors` lists what gitkeeper wrote about each git mirror, without any secret."""

import uuid

from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_gitkeeper.mirror_announcer import MirrorAnnouncer
from netraven_shared.events.base import utc_now
from netraven_shared.events.mirror_status import MIRRORS_BUCKET, MirrorStatus
from netraven_shared.key_value import open_bucket


def status(name: str, **changes: object) -> MirrorStatus:
    return MirrorStatus.model_validate(
        {
            "name": name,
            "remote": "https://ci@git.example.net/acme/configs.git",
            "branch": "main",
            "state": "failing",
            "last_error": "fatal: unable to access: 503",
            "failing_since": utc_now(),
            "attempts": 4,
            "commits_waiting": 2,
            "updated_at": utc_now(),
        }
        | changes
    )


async def listed(client: AsyncClient, prefix: str) -> list[dict]:
    response = await client.get("/api/mirrors")
    assert response.status_code == 200, response.text
    return [mirror for mirror in response.json()["items"] if mirror["name"].startswith(prefix)]


class TestListMirrors:
    async def test_each_mirror_as_gitkeeper_wrote_it_sorted_by_name(
        self, viewer: AsyncClient, broker: NatsBroker
    ) -> None:
        prefix = f"test-{uuid.uuid4().hex[:6]}"
        announcer = MirrorAnnouncer(broker)
        await announcer.status(status(f"{prefix}-b"))
        await announcer.status(
            status(f"{prefix}-a", state="ok", last_error=None, failing_since=None, attempts=0)
        )
        mirrors = await listed(viewer, prefix)
        assert [(m["name"], m["state"]) for m in mirrors] == [
            (f"{prefix}-a", "ok"),
            (f"{prefix}-b", "failing"),
        ]
        assert mirrors[1]["commits_waiting"] == 2 and mirrors[1]["attempts"] == 4
        assert mirrors[1]["last_error"] == "fatal: unable to access: 503"
        assert mirrors[1]["remote"] == "https://ci@git.example.net/acme/configs.git"

    async def test_a_mirror_no_longer_configured_is_forgotten_at_gitkeeper_start(
        self, viewer: AsyncClient, broker: NatsBroker
    ) -> None:
        prefix = f"test-{uuid.uuid4().hex[:6]}"
        announcer = MirrorAnnouncer(broker)
        await announcer.status(status(f"{prefix}-kept"))
        await announcer.status(status(f"{prefix}-gone"))
        others = [m["name"] for m in await listed(viewer, "") if not m["name"].startswith(prefix)]
        await announcer.forget_all_but([f"{prefix}-kept", *others])
        assert [m["name"] for m in await listed(viewer, prefix)] == [f"{prefix}-kept"]

    async def test_an_unreadable_entry_is_skipped_not_a_500(
        self, viewer: AsyncClient, broker: NatsBroker
    ) -> None:
        prefix = f"test-{uuid.uuid4().hex[:6]}"
        bucket = await open_bucket(broker.config.connection_state.stream, MIRRORS_BUCKET)
        await bucket.put(f"{prefix}-garbage", b"{not json")
        await MirrorAnnouncer(broker).status(status(f"{prefix}-good"))
        assert [m["name"] for m in await listed(viewer, prefix)] == [f"{prefix}-good"]

    async def test_needs_a_signed_in_user(self, anonymous: AsyncClient) -> None:
        response = await anonymous.get("/api/mirrors")
        assert response.status_code == 401
        assert response.json()["error"]
