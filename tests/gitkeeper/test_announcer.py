"""What gitkeeper tells the bus about a stored backup."""

from uuid import uuid4

from faststream.nats import NatsBroker
from netraven_gitkeeper.announcer import BusAnnouncer, config_changed
from netraven_gitkeeper.planner import Fate
from netraven_gitkeeper.writer import Stored
from netraven_shared.events import LogLinesEmitted, subjects
from netraven_shared.events.configs import MAX_DIFF_CHARS
from netraven_shared.messaging import stream_of

from tests.fixtures.consumers import new_messages_durable
from tests.gitkeeper.backups import backup_of_text

COMMIT, OLD = "a" * 40, "b" * 40


def diff_adding(lines: int) -> str:
    return f"diff --git a/r.cfg b/r.cfg\n--- a/r.cfg\n+++ b/r.cfg\n@@ -1 +1,{lines} @@\n" + "".join(
        f"+vlan {n}\n" for n in range(lines)
    )


class TestConfigChanged:
    def test_a_huge_diff_is_cut_and_says_so_but_every_line_is_counted(self) -> None:
        backup = backup_of_text({"id": str(uuid4()), "hostname": "r"}, "hostname r\n", uuid4())
        event = config_changed(
            Stored(backup.event, Fate.COMMITTED, COMMIT, OLD, diff_adding(20_000))
        )
        assert event.diff_truncated and len(event.diff) == MAX_DIFF_CHARS
        assert event.changed_lines == 20_000 and (event.old_commit, event.new_commit) == (
            OLD,
            COMMIT,
        )

    def test_a_small_diff_travels_whole(self) -> None:
        backup = backup_of_text({"id": str(uuid4()), "hostname": "r"}, "hostname r\n", uuid4())
        event = config_changed(Stored(backup.event, Fate.COMMITTED, COMMIT, None, diff_adding(3)))
        assert (
            not event.diff_truncated and event.diff == diff_adding(3) and event.changed_lines == 3
        )

    def test_the_same_change_announced_twice_has_the_same_event_id(self) -> None:
        backup = backup_of_text({"id": str(uuid4()), "hostname": "r"}, "hostname r\n", uuid4())
        first = config_changed(Stored(backup.event, Fate.COMMITTED, COMMIT, None, diff_adding(1)))
        again = config_changed(Stored(backup.event, Fate.REDELIVERED, COMMIT, None, diff_adding(1)))
        assert first.event_id == again.event_id


class TestLogLines:
    async def test_a_batchs_lines_go_in_a_few_messages_each_line_once(
        self, broker: NatsBroker
    ) -> None:
        run_id = uuid4()
        batch = [
            Stored(
                backup_of_text(
                    {"id": str(uuid4()), "hostname": f"sw-{n}"}, f"hostname sw-{n}\n", run_id
                ).event,
                Fate.UNCHANGED,
                COMMIT,
            )
            for n in range(500)
        ]
        js = broker.config.connection_state.stream
        subject = subjects.LOG_LINES_EMITTED
        async with new_messages_durable(js, subject) as durable:
            await BusAnnouncer(broker).announce(batch)
            pull = await js.pull_subscribe(subject, durable=durable, stream=stream_of(subject))
            messages = await pull.fetch(100, timeout=2)
            await pull.unsubscribe()
        lines = [
            line
            for message in messages
            for line in LogLinesEmitted.model_validate_json(message.data).lines
            if line.run_id == run_id
        ]
        assert len(messages) <= 5, "some 130 lines a message, not one message a line"
        assert [line.device_id for line in lines] == [stored.event.device_id for stored in batch]
