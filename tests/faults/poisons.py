"""The poison: for every subject a service consumes, payloads it must refuse, each sent as the
identity the permission matrix lets publish that subject (so the bus lets it through and the service
must cope).

Oversized numbers, a 1,000-character field, a NUL byte, a newline in a hostname, ids no database row
has, a wrong schema, invalid JSON, payloads that are not objects; for request/reply, malformed
requests (answered and recorded) and requests about unknown ids (only answered).
"""

import hashlib
import json
import uuid

from netraven_shared.bus_streams import SERVICES_BUCKET, WORKERS_BUCKET
from netraven_shared.events import ConfigStored, DeviceBackupFailed, subjects
from pydantic import BaseModel, ValidationError

MARKER = f"poison-{uuid.uuid4().hex[:12]}"
FLOOD = (
    10  # unknown devices per subject in the valid run: many poisons in the batches of its events
)

# Who consumes each subject, and the identity the matrix lets publish it.
CONSUMERS = {
    subjects.JOB_REQUESTED: ("integrator", ("api",)),
    subjects.JOB_DISPATCHED: ("api", ("worker",)),
    subjects.BACKUP_STARTED: ("worker", ("api",)),
    subjects.BACKUP_SUCCEEDED: ("worker", ("gitkeeper", "api")),
    subjects.BACKUP_FAILED: ("worker", ("api",)),
    subjects.REACHABILITY_CHECKED: ("worker", ("api",)),
    subjects.CONFIG_STORED: ("gitkeeper", ("api",)),
    subjects.LOG_EMITTED: ("worker", ("log-collector",)),
    subjects.LOG_LINES_EMITTED: ("worker", ("log-collector",)),
    subjects.EVENT_REJECTED: ("worker", ("log-collector",)),
}
# Consumers that check a payload against its contract alone and trust its ids (the notifier: an
# unknown device is covered by no rule, so nothing is sent): they reject only the malformed poison.
CONTRACT_ONLY: dict[str, tuple[type[BaseModel], tuple[str, ...]]] = {
    subjects.BACKUP_FAILED: (DeviceBackupFailed, ("notifier",)),
    subjects.CONFIG_STORED: (ConfigStored, ("notifier",)),
}


def breaks_its_contract(model: type[BaseModel], payload: bytes) -> bool:
    try:
        model.model_validate_json(payload)
    except ValidationError:
        return True
    return False


RPCS = {
    subjects.CONFIG_READ: ("api", "gitkeeper"),
    subjects.CONFIG_DIFF: ("api", "gitkeeper"),
    subjects.CONFIG_SEARCH: ("api", "gitkeeper"),
    subjects.START_RUN: ("scheduler", "api"),
    subjects.SEND_TEST_NOTIFICATION: ("api", "notifier"),
}

# Statuses the api reads from key-value buckets, written by the worker where its rights allow:
# (bucket, key, value).
KEY_VALUE = (
    (SERVICES_BUCKET, "worker.poison", json.dumps({"service": MARKER, "pid": MARKER}).encode()),
    (WORKERS_BUCKET, "poison", json.dumps({"worker_id": MARKER, "sessions": MARKER}).encode()),
)

CONFIG = "hostname x\n"
SHA = hashlib.sha256(
    CONFIG.encode()
).hexdigest()  # right, so gitkeeper gets as far as asking the database
COMMIT = "3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e"
NOT_AN_OBJECT = (b"", b"null", b"[]", b"42", b'"text"', b"\xff\xfe binary")
HOSTNAME = f"{MARKER}-sw"  # a valid name: no reason may quote it either


def ids() -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "correlation_id": str(uuid.uuid4()),
        "run_id": str(uuid.uuid4()),
        "device_id": str(uuid.uuid4()),
    }


def valid_shapes(known_device: str) -> dict[str, dict]:
    """A payload per subject that passes its contract but names ids no database row has."""
    line = {
        "level": "info",
        "log_type": "job",
        "source": "worker",
        "message": "m",
        "device_id": known_device,
    }
    return {
        subjects.JOB_REQUESTED: {"device_id": str(uuid.uuid4())},
        subjects.JOB_DISPATCHED: {**ids(), "trigger": "manual"},
        subjects.BACKUP_STARTED: {**ids(), "hostname": HOSTNAME, "worker_id": "w", "attempt": 1},
        subjects.BACKUP_SUCCEEDED: {
            **ids(),
            "hostname": HOSTNAME,
            "device_type": "cisco_ios",
            "config_text": CONFIG,
            "sha256": SHA,
            "size_bytes": len(CONFIG),
            "collected_at": "2026-11-23T10:00:05Z",
        },
        subjects.BACKUP_FAILED: {**ids(), "hostname": HOSTNAME, "error": "boom", "attempts": 1},
        subjects.REACHABILITY_CHECKED: {
            **ids(),
            "hostname": HOSTNAME,
            "port": 22,
            "reachable": True,
            "latency_ms": 1.0,
        },
        subjects.CONFIG_STORED: {
            **ids(),
            "hostname": HOSTNAME,
            "commit": COMMIT,
            "sha256": SHA,
            "changed": True,
        },
        # a log line and a rejection are the facts themselves: no id of theirs is looked up
        subjects.LOG_EMITTED: line,
        subjects.LOG_LINES_EMITTED: {"lines": [line, line | {"message": "n"}]},
        subjects.EVENT_REJECTED: {
            "rejected_subject": subjects.LOG_EMITTED,
            "reason": "r",
            "service": "worker",
        },
    }


OVERSIZED = {
    subjects.JOB_REQUESTED: {"schema_version": 2**40},
    subjects.JOB_DISPATCHED: {"schema_version": 10**12},
    subjects.BACKUP_STARTED: {"attempt": 10**12},
    subjects.BACKUP_SUCCEEDED: {"size_bytes": 2**40},
    subjects.BACKUP_FAILED: {"attempts": 10**12},
    subjects.REACHABILITY_CHECKED: {"port": 2**40},
    subjects.CONFIG_STORED: {"schema_version": 2**40},
    subjects.LOG_EMITTED: {"schema_version": 10**12},
    subjects.LOG_LINES_EMITTED: {"schema_version": 10**12},
    subjects.EVENT_REJECTED: {"schema_version": 10**12},
}
# a field each poison overfills or puts a NUL byte in; a hostname also gets a newline (a log message
# may hold one)
TEXT_FIELD = {
    subjects.LOG_EMITTED: "source",
    subjects.EVENT_REJECTED: "reason",
    subjects.JOB_DISPATCHED: "trigger",
}


def contract_breaking(subject: str, shape: dict) -> list[dict]:
    """An oversized number, an overfilled text field, a NUL byte, a wrong schema."""
    text = TEXT_FIELD.get(subject, "hostname")
    return [
        {**shape, **OVERSIZED[subject], "note": MARKER},
        {**shape, text: MARKER + "x" * 1000},
        {**shape, text: f"{MARKER}\x00nul"},
        {"unexpected": MARKER, "schema_version": "one"},
    ]


def batch_poisons(shape: dict) -> list[dict]:
    """Batches of log lines refused whole: each poison line beside a valid one, no line at all,
    lines that are not a list, an oversized envelope."""
    valid = shape["lines"][0]
    return [
        *(
            {"lines": [valid, spoiled]}
            for spoiled in contract_breaking(subjects.LOG_EMITTED, valid)
        ),
        {"lines": [], "note": MARKER},
        {"lines": MARKER},
        {**shape, **OVERSIZED[subjects.LOG_LINES_EMITTED], "note": MARKER},
    ]


def poisons_of(subject: str, shape: dict, known_device: str) -> list[bytes]:
    """Each with room for it carries MARKER, so the test can tell that no reason or log line repeats
    a payload."""
    if subject == subjects.LOG_LINES_EMITTED:
        variants = batch_poisons(shape)
    else:
        variants = contract_breaking(subject, shape)
        if TEXT_FIELD.get(subject, "hostname") == "hostname":
            variants.append({**shape, "hostname": f"{MARKER}\nline two"})
    if (
        subject == subjects.JOB_REQUESTED
    ):  # an unknown device, by id and by name; a known one with an unknown job or run
        variants += [{**shape, "note": MARKER}, {"hostname": HOSTNAME}]
        variants += [
            {"device_id": known_device, key: str(uuid.uuid4()), "note": MARKER}
            for key in ("job_id", "run_id")
        ]
    elif subject not in (
        subjects.LOG_EMITTED,
        subjects.LOG_LINES_EMITTED,
        subjects.EVENT_REJECTED,
    ):  # unknown ids; a known device in a run that lacks it
        variants += [
            {**shape, "note": MARKER},
            {**shape, "device_id": known_device, "note": MARKER},
        ]
    return [json.dumps(variant).encode() for variant in variants] + [
        b"{not json " + MARKER.encode(),
        *NOT_AN_OBJECT,
    ]


def malformed_requests() -> list[bytes]:
    return [
        *NOT_AN_OBJECT,
        b"{not json " + MARKER.encode(),
        json.dumps({"unexpected": MARKER}).encode(),
        json.dumps(
            {
                "job_id": MARKER + "\x00",
                "device_id": MARKER + "\x00",
                "slot": 10**40,
                "commit": MARKER,
                "limit": 10**12,
            }
        ).encode(),
        json.dumps({"query": f"{MARKER}\x00", "job_id": MARKER, "device_id": MARKER}).encode(),
    ]


def unknown_id_request(subject: str) -> bytes:
    """Well formed, about nothing the database knows: answered (refused, not found), not a
    rejection."""
    if subject == subjects.START_RUN:
        return json.dumps({"job_id": str(uuid.uuid4()), "slot": 10**40, "note": MARKER}).encode()
    return json.dumps(
        {
            "device_id": str(uuid.uuid4()),
            "commit": COMMIT,
            "from_commit": COMMIT,
            "to_commit": COMMIT,
            "query": "ab",
            "channel_id": str(uuid.uuid4()),
            "requested_by": MARKER,
            "note": MARKER,
        }
    ).encode()


def poisons_everywhere(known_device: str) -> dict[str, list[bytes]]:
    shapes = valid_shapes(known_device)
    return {subject: poisons_of(subject, shapes[subject], known_device) for subject in CONSUMERS}


def poisons_in_a_running_run(run_id: str, outsider: str) -> dict[str, list[bytes]]:
    """Events of the valid run about an unknown device and about a known one the run lacks: they
    share batches with the run's own events, which must still be stored."""
    shapes = valid_shapes(outsider)
    devices = [*(str(uuid.uuid4()) for _ in range(FLOOD)), outsider]
    about_the_run = (
        subjects.JOB_DISPATCHED,
        subjects.BACKUP_STARTED,
        subjects.BACKUP_SUCCEEDED,
        subjects.BACKUP_FAILED,
        subjects.REACHABILITY_CHECKED,
        subjects.CONFIG_STORED,
    )
    return {
        subject: [
            json.dumps(
                {**shapes[subject], "run_id": run_id, "device_id": device, "note": MARKER}
            ).encode()
            for device in devices
        ]
        for subject in about_the_run
    }
