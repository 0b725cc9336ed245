"""Who publishes each event, declared on a broker so the AsyncAPI document shows every channel.

Publishing itself goes through `messaging.publish_event`; these declarations are the contract's
documentation, generated from the same pydantic models.
"""

from faststream.nats import NatsBroker

from netraven_shared.events import (
    ComplianceViolated,
    ConfigChanged,
    ConfigStored,
    DeviceBackedUp,
    DeviceBackupFailed,
    DeviceBackupStarted,
    DeviceReachabilityChecked,
    Event,
    EventRejected,
    JobDispatched,
    JobRequested,
    LogEmitted,
    LogLinesEmitted,
    MirrorPushFailed,
    MirrorPushRecovered,
    RunProgressed,
    SiteJobDispatched,
)

PUBLISHERS: dict[type[Event], str] = {
    JobRequested: "any other system (the api consumes it and starts a run)",
    JobDispatched: (
        "api (from its outbox: run now, ad-hoc device runs, scheduled slots, bus requests, "
        "reconciler)"
    ),
    SiteJobDispatched: (
        "api (from its outbox, for a device of a remote site; `*` is the site's name), "
        "pulled by that site's collectors alone (identity `site-<site>`, durable "
        "`workers-site-<site>`)"
    ),
    DeviceBackupStarted: "worker",
    DeviceBackedUp: "worker",
    DeviceBackupFailed: "worker",
    ConfigStored: "gitkeeper",
    ConfigChanged: "gitkeeper",
    DeviceReachabilityChecked: "worker",
    ComplianceViolated: "api (its compliance checker, on each ConfigChanged and on demand)",
    MirrorPushFailed: "gitkeeper",
    MirrorPushRecovered: "gitkeeper",
    LogEmitted: "every service",
    LogLinesEmitted: "every service, for a batch's lines (gitkeeper: a line per stored backup)",
    EventRejected: "every service that consumes from the bus",
    RunProgressed: "api, on core NATS, after each commit that changes a run (not kept)",
}


def declare_publishers(broker: NatsBroker) -> None:
    for event, publishers in PUBLISHERS.items():
        broker.publisher(
            event.subject,
            schema=event,
            title=f"{event.__name__}:publish",
            description=f"Published by {publishers}. {(event.__doc__ or '').strip()}",
        )
