"""The request's unit of work: one commit at the end, publishes after it, nothing on failure."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from netraven_api.errors import install_error_handlers
from netraven_api.unit_of_work import UnitOfWork, UnitOfWorkDep
from netraven_shared.db.models import Tag
from netraven_shared.errors import Conflict
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import unique


@dataclass
class Seen:
    commits: int = 0
    published: list[bool] = field(
        default_factory=list
    )  # per publish: was the row committed by then?


async def _tag_exists(sessions: async_sessionmaker[AsyncSession], name: str) -> bool:
    async with sessions() as session:
        return await session.scalar(select(Tag.id).where(Tag.name == name)) is not None


def _app(sessions: async_sessionmaker[AsyncSession], seen: Seen) -> FastAPI:
    app = FastAPI()
    app.state.sessions = sessions
    install_error_handlers(app)

    def add_tag(work: UnitOfWork, name: str) -> None:
        event.listen(
            work.session.sync_session,
            "after_commit",
            lambda _: setattr(seen, "commits", seen.commits + 1),
        )
        work.session.add(Tag(name=name))

        async def publish() -> None:
            seen.published.append(await _tag_exists(sessions, name))

        work.after_commit(publish)

    @app.post("/tags/{name}")
    async def create(name: str, work: UnitOfWorkDep) -> dict:
        add_tag(work, name)
        await work.session.flush()
        return {"name": name}

    @app.post("/tags/{name}/publish-fails")
    async def create_with_failing_publish(name: str, work: UnitOfWorkDep) -> dict:
        def broken() -> None:
            raise ConnectionError("the bus is away")

        work.after_commit(broken)
        add_tag(work, name)
        return {"name": name}

    @app.post("/tags/{name}/then-conflict")
    async def create_then_fail(name: str, work: UnitOfWorkDep) -> dict:
        add_tag(work, name)
        await work.session.flush()
        raise Conflict("refused after the row was flushed")

    @app.post("/tags/{name}/then-crash")
    async def create_then_crash(name: str, work: UnitOfWorkDep) -> dict:
        add_tag(work, name)
        await work.session.flush()
        raise RuntimeError("a bug after the row was flushed")

    return app


@pytest.fixture
async def seen() -> Seen:
    return Seen()


@pytest.fixture
async def client(
    sessions: async_sessionmaker[AsyncSession], seen: Seen
) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=_app(sessions, seen), raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://uow.test") as client:
        yield client


class TestSuccess:
    async def test_the_request_commits_once_then_publishes(
        self,
        client: AsyncClient,
        seen: Seen,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        name = unique("uow")
        assert (await client.post(f"/tags/{name}")).status_code == 200
        assert seen.commits == 1
        assert seen.published == [True]
        assert await _tag_exists(sessions, name)

    async def test_a_failed_publish_keeps_the_commit_and_the_other_publishes(
        self, client: AsyncClient, seen: Seen, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        name = unique("uow")
        assert (await client.post(f"/tags/{name}/publish-fails")).status_code == 200
        assert seen.published == [True]
        assert await _tag_exists(sessions, name)


class TestFailure:
    async def test_a_4xx_rolls_back_and_publishes_nothing(
        self,
        client: AsyncClient,
        seen: Seen,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        name = unique("uow")
        assert (await client.post(f"/tags/{name}/then-conflict")).status_code == 409
        assert (seen.commits, seen.published) == (0, [])
        assert not await _tag_exists(sessions, name)

    async def test_an_unexpected_error_rolls_back_and_publishes_nothing(
        self,
        client: AsyncClient,
        seen: Seen,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        name = unique("uow")
        assert (await client.post(f"/tags/{name}/then-crash")).status_code == 500
        assert (seen.commits, seen.published) == (0, [])
        assert not await _tag_exists(sessions, name)


class TestThroughTheApi:
    async def test_a_job_change_refused_midway_leaves_the_job_as_it_was(
        self, operator: AsyncClient
    ) -> None:
        tag = unique("uow")
        created = await operator.post(
            "/api/jobs",
            json={
                "name": unique("uow-job"),
                "kind": "backup",
                "tags": [tag],
                "schedule": {"type": "manual"},
            },
        )
        assert created.status_code == 201, created.text
        job = created.json()
        refused = await operator.patch(
            f"/api/jobs/{job['id']}", json={"name": unique("renamed"), "tags": []}
        )
        assert refused.status_code == 422
        assert (await operator.get(f"/api/jobs/{job['id']}")).json()["name"] == job["name"]
