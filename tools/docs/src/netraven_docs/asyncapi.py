"""Generate docs/asyncapi.yaml from the code: every service's subscribers and every event's
publishers, on one broker. `python -m netraven_docs.asyncapi [PATH]` (or `make docs`)."""

import sys
from pathlib import Path
from typing import cast

import yaml
from faststream.nats import NatsBroker, PullSub
from faststream.specification import AsyncAPI
from netraven_api.runs.handlers import RECORDERS
from netraven_gitkeeper.backup_consumer import DURABLE as GITKEEPER_DURABLE
from netraven_gitkeeper.handlers import register_handlers as register_gitkeeper
from netraven_gitkeeper.reader import ConfigReader
from netraven_log_collector.app import LINES_DURABLE, REJECTIONS_DURABLE
from netraven_log_collector.app import LOGS_DURABLE as LOG_COLLECTOR_DURABLE
from netraven_notifier.consumers import EVENT_TYPES as NOTIFIED
from netraven_notifier.dispatcher import Dispatcher
from netraven_notifier.send_test_rpc import register_test_requests
from netraven_shared.bus_identities import NOTIFIER_DURABLES
from netraven_shared.event_catalog import declare_publishers
from netraven_shared.events import (
    DeviceBackedUp,
    Event,
    EventRejected,
    LogEmitted,
    LogLinesEmitted,
)
from netraven_shared.messaging import build_broker, stream_ref
from netraven_shared.settings import NetRavenSettings
from netraven_worker.config import WorkerSettings
from netraven_worker.handlers import register_handlers as register_worker

DESCRIPTION = (
    "NetRaven's event contracts on NATS JetStream. Every event carries event_id, occurred_at, "
    "schema_version and correlation_id; consumers ignore fields they do not know. "
    "See docs/events.md for the streams, consumers and delivery guarantees."
)


def declare_batch_consumer(
    broker: NatsBroker, event_type: type[Event], durable: str, title: str, description: str
) -> None:
    """A consumer that pulls with the shared batch consumer (nats-py, not FastStream), declared here
    only so the document shows it; each message is one event, written with others of its batch."""

    @broker.subscriber(
        event_type.subject,
        stream=stream_ref(event_type.subject),
        durable=durable,
        pull_sub=PullSub(batch_size=500, timeout=1),
        title=title,
        description=description,
    )
    async def consume(event: event_type) -> None:  # type: ignore[valid-type]
        del event


def declare_batch_consumers(broker: NatsBroker) -> None:
    declare_batch_consumer(
        broker,
        DeviceBackedUp,
        GITKEEPER_DURABLE,
        "gitkeeper/store-configs",
        "Batches of DeviceBackedUp (up to 500, or what arrives within 200 ms), "
        "one git commit per batch; "
        "every message is acked after the commit and its index rows are durable.",
    )
    declare_batch_consumer(
        broker,
        LogEmitted,
        LOG_COLLECTOR_DURABLE,
        "log-collector/write-logs",
        "Batches of LogEmitted, one INSERT per batch; a malformed entry is rejected on its own.",
    )
    declare_batch_consumer(
        broker,
        LogLinesEmitted,
        LINES_DURABLE,
        "log-collector/write-log-batches",
        "Batches of LogLinesEmitted (up to 20 messages), their lines in the same INSERT as "
        "LogEmitted's; a line already stored (same event_id) is skipped; a malformed message is "
        "rejected on its own, whole.",
    )
    declare_batch_consumer(
        broker,
        EventRejected,
        REJECTIONS_DURABLE,
        "log-collector/record-rejections",
        "Batches of EventRejected: a rejected_events row and a `bus` warning "
        "in the unified log for each.",
    )
    for durable, subject in NOTIFIER_DURABLES:
        declare_batch_consumer(
            broker,
            NOTIFIED[subject],
            durable,
            f"notifier/{durable}",
            f"Batches of {NOTIFIED[subject].__name__} turned into notifications: routed, "
            "recorded in notification_deliveries, sent; acked once recorded.",
        )
    for event_type, durable, _ in RECORDERS:
        declare_batch_consumer(
            broker,
            event_type,
            durable,
            f"api/{durable}",
            f"Batches of {event_type.__name__}, one transaction per batch; "
            "a refused event is rejected alone.",
        )


def asyncapi_yaml() -> str:
    # Development mode: the broker only describes itself, it never connects.
    broker = build_broker(NetRavenSettings(mode="development"), "asyncapi")
    declare_publishers(broker)
    register_worker(
        broker, None, WorkerSettings(mode="development", worker_id="worker", concurrency=1), None
    )  # one session slot documents them all
    register_gitkeeper(broker, cast(ConfigReader, None))  # described, never called
    register_test_requests(broker, cast(Dispatcher, None))
    declare_batch_consumers(broker)
    spec = AsyncAPI(
        broker,
        title="NetRaven events",
        version="1",
        description=DESCRIPTION,
        schema_version="3.0.0",
    )
    # sorted, so the document does not change with FastStream's registration order
    return yaml.safe_dump(spec.to_specification().to_jsonable(), sort_keys=True, allow_unicode=True)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/asyncapi.yaml")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(asyncapi_yaml())
    print(f"wrote {target}")
