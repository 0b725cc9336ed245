"""Who may do what on the bus: one NATS identity per service, and one for other systems.

This is the permission matrix the NATS server enforces (rendered into its configuration by
`netraven_devstack.nats_config`). Each identity names the events it publishes, the requests it
makes and serves, its durable consumers, the stores it owns or uses; `bus_permissions` turns that
into the exact subjects, JetStream API calls included. Replies come back on a private inbox
prefix per identity (`_INBOX_<identity>`), so no identity can read another's replies.

Whoever owns a stream or store creates and updates it (`declare_streams`); the others only look
it up. Nobody may delete a stream.
"""

from dataclasses import dataclass, field
from typing import Literal

from netraven_shared.bus_streams import (
    BACKUPS_STREAM,
    CONFIG_BUCKET,
    DEVICE_CIRCUITS_BUCKET,
    DEVICE_LOCKS_BUCKET,
    JOBS_STREAM,
    LOGIN_FAILURES_BUCKET,
    LOGS_STREAM,
    MIRRORS_BUCKET,
    NOTIFIER_BUCKET,
    REPLY_BUCKET,
    REQUESTS_STREAM,
    SERVICES_BUCKET,
    WORKERS_BUCKET,
    stream_of,
    subject_matches,
)
from netraven_shared.events import subjects
from netraven_shared.events.site_dispatch import site_subject

# own: creates it, reads and writes every key; use: reads and writes every key of a bucket another
# identity creates; read: reads every key; write: writes the keys under its own name only
Access = Literal["own", "use", "read", "write"]
ObjectAccess = Literal["own-read", "own-write", "put", "read"]


@dataclass(frozen=True)
class Durable:
    name: str
    subject: str

    @property
    def stream(self) -> str:
        return stream_of(self.subject)


@dataclass(frozen=True)
class Identity:
    name: str
    publishes: tuple[str, ...] = ()
    requests: tuple[str, ...] = ()
    serves: tuple[str, ...] = ()
    subscribes: tuple[str, ...] = ()
    # core NATS subjects it both publishes and hears, for every process of the same service
    announces: tuple[str, ...] = ()
    durables: tuple[Durable, ...] = ()
    owns_streams: tuple[str, ...] = ()
    kv: dict[str, Access] = field(default_factory=dict)
    objects: dict[str, ObjectAccess] = field(default_factory=dict)

    @property
    def inbox_prefix(self) -> str:
        return inbox_prefix_of(self.name)

    @property
    def uses_streams(self) -> tuple[str, ...]:
        """The streams it consumes or publishes to but someone else declares: it waits for them at
        start."""
        used = {durable.stream for durable in self.durables} | {
            stream_of(subject) for subject in self.publishes
        }
        return tuple(sorted(used - set(self.owns_streams)))


_LOGS = (subjects.LOG_EMITTED, subjects.LOG_LINES_EMITTED)
_REJECTED = (subjects.EVENT_REJECTED,)
_RECORDED = (
    subjects.BACKUP_STARTED,
    subjects.CONFIG_STORED,
    subjects.BACKUP_FAILED,
    subjects.BACKUP_SUCCEEDED,
    subjects.REACHABILITY_CHECKED,
)
# The events the notifier turns into notifications, each read by a durable of its own.
NOTIFIER_DURABLES = (
    ("notifier-changed", subjects.CONFIG_CHANGED),
    ("notifier-failed", subjects.BACKUP_FAILED),
    ("notifier-stored", subjects.CONFIG_STORED),
    ("notifier-noncompliant", subjects.COMPLIANCE_VIOLATED),
    ("notifier-mirror-failed", subjects.MIRROR_PUSH_FAILED),
    ("notifier-mirror-recovered", subjects.MIRROR_PUSH_RECOVERED),
)
_GITKEEPER_RPC = (
    subjects.CONFIG_READ,
    subjects.CONFIG_DIFF,
    subjects.CONFIG_SEARCH,
    subjects.CONFIG_ARCHIVE,
)

IDENTITIES: dict[str, Identity] = {
    identity.name: identity
    for identity in (
        Identity(
            "api",
            publishes=(
                subjects.JOB_DISPATCHED,
                subjects.SITE_JOB_DISPATCHED,
                subjects.COMPLIANCE_VIOLATED,
                *_LOGS,
                *_REJECTED,
            ),
            requests=(*_GITKEEPER_RPC, subjects.SEND_TEST_NOTIFICATION),
            serves=(subjects.START_RUN,),
            announces=(subjects.RUN_PROGRESSED,),
            durables=(
                Durable("api-job-requests", subjects.JOB_REQUESTED),
                Durable("api-compliance", subjects.CONFIG_CHANGED),
                *(
                    Durable(name, subject)
                    for name, subject in zip(
                        (
                            "api-record-started",
                            "api-record-stored",
                            "api-record-failed",
                            "api-record-collected",
                            "api-record-reachability",
                        ),
                        _RECORDED,
                    )
                ),
            ),
            owns_streams=(REQUESTS_STREAM, JOBS_STREAM),
            kv={
                LOGIN_FAILURES_BUCKET: "own",
                SERVICES_BUCKET: "own",
                WORKERS_BUCKET: "read",
                MIRRORS_BUCKET: "read",
            },
            objects={REPLY_BUCKET: "read"},
        ),
        Identity(
            "scheduler",
            publishes=(*_LOGS, *_REJECTED),
            requests=(subjects.START_RUN,),
            kv={SERVICES_BUCKET: "write"},
        ),
        Identity(
            "worker",
            publishes=(
                subjects.BACKUP_STARTED,
                subjects.BACKUP_SUCCEEDED,
                subjects.BACKUP_FAILED,
                subjects.REACHABILITY_CHECKED,
                *_LOGS,
                *_REJECTED,
            ),
            durables=(Durable("workers", subjects.JOB_DISPATCHED),),
            owns_streams=(BACKUPS_STREAM,),
            kv={
                DEVICE_LOCKS_BUCKET: "own",
                DEVICE_CIRCUITS_BUCKET: "own",
                WORKERS_BUCKET: "own",
                SERVICES_BUCKET: "write",
            },
            objects={CONFIG_BUCKET: "put"},
        ),
        Identity(
            "gitkeeper",
            publishes=(
                subjects.CONFIG_STORED,
                subjects.CONFIG_CHANGED,
                subjects.MIRROR_PUSH_FAILED,
                subjects.MIRROR_PUSH_RECOVERED,
                *_LOGS,
                *_REJECTED,
            ),
            serves=_GITKEEPER_RPC,
            durables=(Durable("gitkeeper", subjects.BACKUP_SUCCEEDED),),
            kv={SERVICES_BUCKET: "write", MIRRORS_BUCKET: "own"},
            objects={CONFIG_BUCKET: "own-read", REPLY_BUCKET: "own-write"},
        ),
        Identity(
            "log-collector",
            publishes=(*_LOGS, *_REJECTED),
            durables=(
                Durable("log-collector", subjects.LOG_EMITTED),
                Durable("log-collector-lines", subjects.LOG_LINES_EMITTED),
                Durable("log-collector-rejections", subjects.EVENT_REJECTED),
            ),
            owns_streams=(LOGS_STREAM,),
            kv={SERVICES_BUCKET: "write"},
        ),
        Identity(
            "notifier",
            publishes=(*_LOGS, *_REJECTED),
            serves=(subjects.SEND_TEST_NOTIFICATION,),
            durables=tuple(Durable(name, subject) for name, subject in NOTIFIER_DURABLES),
            kv={NOTIFIER_BUCKET: "own", SERVICES_BUCKET: "write"},
        ),
        Identity(
            "integrator",
            publishes=(subjects.JOB_REQUESTED,),
            subscribes=(subjects.CONFIG_CHANGED,),
            # one durable name: NATS permission wildcards are whole tokens, so `integrator-*` cannot
            # be granted
            durables=(Durable("integrator", subjects.CONFIG_CHANGED),),
        ),
    )
}
STREAM_OWNERS = {
    stream: identity.name for identity in IDENTITIES.values() for stream in identity.owns_streams
}
KV_OWNERS = {
    bucket: identity.name
    for identity in IDENTITIES.values()
    for bucket, access in identity.kv.items()
    if access == "own"
}
OBJECT_STORE_OWNERS = {
    bucket: identity.name
    for identity in IDENTITIES.values()
    for bucket, access in identity.objects.items()
    if access.startswith("own")
}
TEST_IDENTITY = "tests"  # full rights but deleting streams; generated only by the test fixtures
SITE_IDENTITY_PREFIX = "site-"


def site_identity(site: str) -> Identity:
    """A remote site's collectors: they pull their site's sealed requests alone (its durable on
    its subject), and publish what a central worker publishes. Sites are data (the api's `sites`
    table), so their identities are rendered from a list of names (`NETRAVEN_BUS_SITES`), not
    held in `IDENTITIES`. The device locks and circuits are shared with every worker (`use`):
    a site could hold another device's lock, which delays a backup but reveals nothing."""
    return Identity(
        f"{SITE_IDENTITY_PREFIX}{site}",
        publishes=IDENTITIES["worker"].publishes,
        durables=(Durable(f"workers-{SITE_IDENTITY_PREFIX}{site}", site_subject(site)),),
        kv={
            DEVICE_LOCKS_BUCKET: "use",
            DEVICE_CIRCUITS_BUCKET: "use",
            WORKERS_BUCKET: "write",
            SERVICES_BUCKET: "write",
        },
        objects={CONFIG_BUCKET: "put"},
    )


def identity_named(name: str) -> Identity:
    """A service's identity, or a remote site's (`site-<site>`)."""
    if name in IDENTITIES:
        return IDENTITIES[name]
    if name.startswith(SITE_IDENTITY_PREFIX):
        return site_identity(name.removeprefix(SITE_IDENTITY_PREFIX))
    raise KeyError(f"no bus identity {name}")


def owns_bucket(identity: str | None, bucket: str) -> bool:
    """Whether `identity` creates and configures KV `bucket` (the test identity may create any)."""
    return identity in (KV_OWNERS[bucket], TEST_IDENTITY)


def inbox_prefix_of(identity: str) -> str:
    return f"_INBOX_{identity}"


def identities_allowed_to_publish(subject: str) -> list[str]:
    """The identities whose permissions let them publish `subject` (an event or request subject)."""
    return sorted(
        identity.name
        for identity in IDENTITIES.values()
        if any(
            subject_matches(allowed, subject)
            for allowed in (*identity.publishes, *identity.requests)
        )
    )
