"""Generate docs/asyncapi.yaml from the code: every service's subscribers and every event's
publishers, on one broker. `python -m netraven_devstack.asyncapi [PATH]` (or `make docs`)."""

import sys
from pathlib import Path

import yaml
from faststream.nats import NatsBroker, PullSub
from faststream.specification import AsyncAPI

from netraven_api.runs.handlers import RECORDERS
from netraven_gitkeeper.handlers import register_handlers as register_gitkeeper
from netraven_gitkeeper.backup_consumer import DURABLE as GITKEEPER_DURABLE
from netraven_log_collector.app import LOGS_DURABLE as LOG_COLLECTOR_DURABLE, REJECTIONS_DURABLE
from netraven_shared.event_catalog import declare_publishers
from netraven_shared.events import DeviceBackedUp, Event, EventRejected, LogEmitted, subjects
from netraven_shared.messaging import build_broker, stream_ref
from netraven_shared.settings import NetRavenSettings
from netraven_worker.config import WorkerSettings
from netraven_worker.handlers import register_handlers as register_worker

DESCRIPTION = (
    "NetRaven's event contracts on NATS JetStream. Every event carries event_id, occurred_at, "
    "schema_version and correlation_id; consumers ignore fields they do not know. "
    "See docs/events.md for the streams, consumers and delivery guarantees."
)


def declare_log_collector(broker: NatsBroker) -> None:
    """The log-collector pulls with the shared batch consumer (nats-py); declared here for the document."""

    @broker.subscriber(
        subjects.LOG_EMITTED,
        stream=stream_ref(subjects.LOG_EMITTED),
        durable=LOG_COLLECTOR_DURABLE,
        pull_sub=PullSub(batch_size=200, timeout=1, batch=True),
        title="log-collector/write-logs",
        description="Batches of LogEmitted, one INSERT per batch; a malformed entry is rejected on its own.",
    )
    async def write_logs(events: list[LogEmitted]) -> None:
        del events


def declare_rejection_recorder(broker: NatsBroker) -> None:
    @broker.subscriber(
        subjects.EVENT_REJECTED,
        stream=stream_ref(subjects.EVENT_REJECTED),
        durable=REJECTIONS_DURABLE,
        pull_sub=PullSub(batch_size=200, timeout=1, batch=True),
        title="log-collector/record-rejections",
        description="Batches of EventRejected: a rejected_events row and a `bus` warning in the unified log for each.",
    )
    async def record_rejections(events: list[EventRejected]) -> None:
        del events


def declare_run_recorders(broker: NatsBroker) -> None:
    """The api records runs with the shared batch consumer (nats-py); declared here for the document."""
    for event_type, durable, _ in RECORDERS:
        def declare(event_type: type[Event] = event_type, durable: str = durable) -> None:
            @broker.subscriber(
                event_type.subject, stream=stream_ref(event_type.subject), durable=durable,
                pull_sub=PullSub(batch_size=500, timeout=1), title=f"api/{durable}",
                description=f"Batches of {event_type.__name__}, one transaction per batch; a refused event is rejected alone.",
            )
            async def record(event: event_type) -> None:  # type: ignore[valid-type]
                del event

        declare()


def declare_gitkeeper_consumer(broker: NatsBroker) -> None:
    """Gitkeeper pulls backups with the shared batch consumer (its backup_consumer.py); declared here for the document."""

    @broker.subscriber(
        subjects.BACKUP_SUCCEEDED,
        stream=stream_ref(subjects.BACKUP_SUCCEEDED),
        durable=GITKEEPER_DURABLE,
        pull_sub=PullSub(batch_size=500, timeout=1, batch=True),
        title="gitkeeper/store-configs",
        description="Batches of DeviceBackedUp (up to 500, or what arrives within 200 ms), one git commit per batch; "
        "every message is acked after the commit and its index rows are durable.",
    )
    async def store_configs(events: list[DeviceBackedUp]) -> None:
        del events


def asyncapi_yaml() -> str:
    broker = build_broker(NetRavenSettings(), "asyncapi")
    declare_publishers(broker)
    register_worker(broker, None, WorkerSettings(worker_id="worker", concurrency=1), None)  # one session slot documents them all
    register_gitkeeper(broker, None)
    declare_gitkeeper_consumer(broker)
    declare_log_collector(broker)
    declare_rejection_recorder(broker)
    declare_run_recorders(broker)
    spec = AsyncAPI(broker, title="NetRaven events", version="1", description=DESCRIPTION, schema_version="3.0.0")
    # sorted, so the document does not change with FastStream's registration order
    return yaml.safe_dump(spec.to_specification().to_jsonable(), sort_keys=True, allow_unicode=True)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/asyncapi.yaml")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(asyncapi_yaml())
    print(f"wrote {target}")
