"""log-collector's two batch consumers on real NATS and PostgreSQL: a line the table refuses is
isolated and the valid lines of its batch are stored; a rejection becomes a row and a `bus` log
line, and a rejection that cannot be read is recorded like any poison."""

import asyncio
import json
import uuid

from netraven_shared.db.models import LogEntry, RejectedEvent
from netraven_shared.events import EventRejected, LogEmitted, subjects
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.consumers import rejections_on, wait_until
from tests.fixtures.infra import Infra


def line(message: str, source: str = "test") -> bytes:
    return (
        LogEmitted(level="info", log_type="system", message=message, source=source)
        .model_dump_json()
        .encode()
    )


def forged_line(message: str, source: str = "test") -> bytes:
    """A line shaped like LogEmitted but past its bounds, as a buggy or hostile publisher would send
    it."""
    return json.dumps(
        LogEmitted(level="info", log_type="system", message="x", source="test").model_dump(
            mode="json"
        )
        | {"message": message, "source": source}
    ).encode()


class TestPoisonLines:
    async def test_every_valid_line_is_stored_and_each_poison_is_recorded(
        self,
        running,
        infra: Infra,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        js = running.js
        tag = uuid.uuid4().hex[:8]
        poison = [
            forged_line(f"{tag} a NUL \x00 byte"),
            forged_line(f"{tag} too long a source", source="s" * 51),
            b"{not json",
            b'{"level": "loud", "log_type": "system"}',
        ]
        async with rejections_on(infra, subjects.LOG_EMITTED) as rejected:
            valid = [line(f"{tag} valid line {n}") for n in range(40)]
            for data in [*valid[:20], *poison, *valid[20:]]:
                await js.publish(subjects.LOG_EMITTED, data)

            async def stored() -> int:
                async with sessions() as session:
                    return await session.scalar(
                        select(func.count()).where(LogEntry.message.like(f"{tag} %"))
                    )

            async def all_settled() -> bool:
                return await stored() >= 40 and len(rejected) >= 4

            await wait_until(all_settled)
        assert await stored() == 40
        assert len(rejected) == 4
        reasons = " | ".join(r.reason for r in rejected)
        assert (
            "invalid payload" in reasons
            and "NUL byte" in reasons
            and "at most 50 characters" in reasons
        )
        assert all(r.service == "log-collector" for r in rejected)
        assert tag not in reasons, "a rejection never carries the payload"


class TestRejectionsBecomeVisible:
    async def test_a_rejection_is_a_row_and_a_bus_warning(
        self, running, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        js = running.js
        event = EventRejected(
            rejected_subject="netraven.backups.succeeded",
            reason="device x is not in the inventory",
            service="gitkeeper",
        )
        await js.publish(subjects.EVENT_REJECTED, event.model_dump_json().encode())
        await js.publish(
            subjects.EVENT_REJECTED, event.model_dump_json().encode()
        )  # redelivered: stored once

        async def recorded() -> bool:
            async with sessions() as session:
                return (
                    await session.scalar(
                        select(LogEntry).where(
                            LogEntry.log_type == "bus",
                            LogEntry.correlation_id == event.correlation_id,
                        )
                    )
                    is not None
                )

        await wait_until(recorded)
        async with sessions() as session:
            rows = list(
                await session.scalars(
                    select(RejectedEvent).where(RejectedEvent.event_id == event.event_id)
                )
            )
            entry = await session.scalar(
                select(LogEntry).where(LogEntry.correlation_id == event.correlation_id)
            )
        assert [(r.rejected_subject, r.service, r.reason) for r in rows] == [
            (event.rejected_subject, "gitkeeper", event.reason)
        ]
        assert (entry.level, entry.log_type) == ("warning", "bus")
        assert "gitkeeper rejected a message on netraven.backups.succeeded" in entry.message


class TestUnreadableRejections:
    async def test_are_recorded_once_without_their_payload(self, running, infra: Infra) -> None:
        js = running.js
        tag = uuid.uuid4().hex[:8]
        async with rejections_on(infra, subjects.EVENT_REJECTED) as rejected:
            await js.publish(subjects.EVENT_REJECTED, f"{{not json {tag}".encode())
            await js.publish(
                subjects.EVENT_REJECTED, json.dumps({"reason": tag, "service": "x" * 51}).encode()
            )

            async def both_recorded() -> bool:
                return len(rejected) >= 2

            await wait_until(both_recorded)
            await asyncio.sleep(1)  # a loop would record the records too
        assert [(r.service, r.reason.startswith("invalid payload")) for r in rejected] == [
            ("log-collector", True)
        ] * 2
        assert all(tag not in r.reason for r in rejected)
