from typing import Literal
from uuid import UUID

from pydantic import ConfigDict, model_validator

from netraven_shared.events import subjects
from netraven_shared.events.base import Event, Hostname

Trigger = Literal["manual", "schedule", "bus", "reconciler"]
# `backup` collects the config; `reachability` only opens a TCP connection to the SSH port and times
# it.
JobKind = Literal["backup", "reachability"]
# What a run (and a job) may be: a worker's kind, or `inventory_sync`, which the api runs itself
# (it syncs an inventory source; nothing is dispatched).
RunKind = Literal["backup", "reachability", "inventory_sync"]


class JobRequested(Event):
    """A request from any system to back up one device, or with `kind: reachability` to check that
    its SSH port answers. Name the device by `device_id` or `hostname`.

    The api consumes it: it looks the device up in its inventory (no other field is believed),
    starts a run of its own (its id derived from `event_id`, so a redelivered request makes no
    second run) and dispatches the device to the workers. `job_id` may name a job the api knows, to
    file the run under it; `run_id` must be left out (runs are the api's), else the request is
    rejected.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "5f0c6f5e-8f7a-4a53-9b55-0b1f7f3f1a01",
                    "occurred_at": "2026-11-23T10:00:00Z",
                    "schema_version": 1,
                    "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                    "job_id": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
                    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                    "hostname": None,
                    "trigger": "manual",
                    "kind": "backup",
                },
                {"hostname": "core-sw-01"},
                {"hostname": "core-sw-01", "kind": "reachability"},
            ]
        }
    )
    subject = subjects.JOB_REQUESTED

    run_id: UUID | None = None
    job_id: UUID | None = None
    device_id: UUID | None = None
    hostname: Hostname | None = None
    trigger: Trigger = "bus"
    kind: JobKind = "backup"

    @model_validator(mode="after")
    def _names_a_device(self) -> "JobRequested":
        if self.device_id is None and self.hostname is None:
            raise ValueError("JobRequested must name a device: set device_id or hostname")
        return self


class DispatchOrder(Event):
    """What every order to back up (or check) one device of a run names in the clear: the run,
    its job, the device, what started it and the kind of work."""

    run_id: UUID
    job_id: UUID | None = None
    device_id: UUID
    trigger: Trigger
    kind: JobKind = "backup"


class JobDispatched(DispatchOrder):
    """The api's order to the workers: back up (or check the reachability of) one device of a run
    that PostgreSQL already holds. Only the api publishes it, from its outbox, in the transaction
    that records the run; its `event_id` is derived from the run, the device and the request number,
    so a republished dispatch is deduplicated by JetStream.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "3c9a1f0e-7b2d-5e4f-8a6b-1c2d3e4f5a6b",
                    "occurred_at": "2026-11-23T10:00:00Z",
                    "schema_version": 1,
                    "correlation_id": "0b7c1c2e-1f0e-4b8e-9a55-3c2d1e0f9a8b",
                    "run_id": "7d1e9a3c-5b2f-4c8d-9e0a-1b2c3d4e5f60",
                    "job_id": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
                    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                    "trigger": "schedule",
                    "kind": "backup",
                },
                {
                    "run_id": "2e4f6a8b-0c1d-4e3f-9a5b-7c9d1e3f5a7b",
                    "job_id": None,
                    "device_id": "9f8e7d6c-5b4a-4e2d-8c1b-0a9f8e7d6c5b",
                    "trigger": "manual",
                    "kind": "reachability",
                },
            ]
        }
    )
    subject = subjects.JOB_DISPATCHED
