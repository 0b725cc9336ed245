"""Decide, for a batch of backups, which make a commit and which are already stored. Pure: no git,
no SQL.

A backup is the config and the driver's extra outputs: it is unchanged only when all of them (the
outputs' names and contents) equal the device's newest version; a backup whose config is the same
but whose outputs differ is a new version whose commit changes only output files (an output the
backup lacks is removed from the device's files).

A batch becomes as few commits as possible. A file appears once per commit, so a device backed up
twice with different contents in one batch gets one commit per version, in order: its history keeps
both; every other device goes into the first commit.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from uuid import UUID

from netraven_shared.events import DeviceBackedUp

from netraven_gitkeeper.config_repo import blob_id, config_beside, config_path, output_path


class Fate(StrEnum):
    COMMITTED = "committed"  # a new commit holds it
    UNCHANGED = "unchanged"  # same as the device's newest version: no commit, no row
    REDELIVERED = "redelivered"  # this very backup is already committed and indexed (a redelivery)
    ALREADY_IN_GIT = (
        "already_in_git"  # git has this content for every file, the device has no row for it yet
    )


def outputs_digest(outputs: tuple[tuple[str, str], ...]) -> str | None:
    """One SHA-256 of the outputs' names and contents, whatever their order; None for no outputs
    (what the index holds for versions stored before outputs were digested, too)."""
    if not outputs:
        return None
    lines = sorted(f"{name}\0{hashlib.sha256(text.encode()).hexdigest()}" for name, text in outputs)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True)
class Backup:
    """A backup and its config text. As received, nothing in `event` but its ids is believed; the
    writer plans only backups `admission.admit` rebuilt from the database and the text."""

    event: DeviceBackedUp
    text: str
    outputs: tuple[tuple[str, str], ...] = ()  # the driver's extra outputs: (name, text)

    @property
    def path(self) -> str:
        return config_path(self.event.hostname)

    @cached_property
    def outputs_sha256(self) -> str | None:
        return outputs_digest(self.outputs)

    def files(self) -> dict[str, str]:
        """The config and, beside it, each extra output: the device's files once it is stored."""
        return {self.path: self.text} | {
            output_path(self.path, name): text for name, text in self.outputs
        }

    def same_as(self, sha256: str, outputs_sha256: str | None) -> bool:
        return self.event.sha256 == sha256 and self.outputs_sha256 == outputs_sha256


@dataclass(frozen=True)
class Newest:
    """A device's newest indexed version."""

    commit: str
    sha256: str
    run_id: UUID | None
    outputs_sha256: str | None = None


@dataclass
class Step:
    backup: Backup
    fate: Fate
    group: int | None = (
        None  # index of the commit that holds it (COMMITTED), or of the step it repeats
    )
    commit: str | None = (
        None  # known commit (UNCHANGED of an indexed version, REDELIVERED, ALREADY_IN_GIT)
    )
    previous: "Step | None" = None  # the step in this batch that made the device's previous version
    previous_commit: str | None = None  # else the device's previous indexed commit
    written: dict[str, str] = field(default_factory=dict)  # COMMITTED: the files it changes
    removed: list[str] = field(default_factory=list)  # COMMITTED: the output files it removes


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    groups: list[list[Step]] = field(default_factory=list)


def plan_batch(
    backups: list[Backup], newest: dict[UUID, Newest], committed: Mapping[str, str]
) -> Plan:
    """`committed`: the blob id (`blob_id`) of each file at HEAD of the devices the index cannot
    settle (their configs and the output files beside them)."""
    plan = Plan()
    latest_step: dict[UUID, Step] = {}
    blobs = dict(committed)
    paths_of_group: list[set[str]] = []
    for backup in backups:
        event, path = backup.event, backup.path
        before, indexed = latest_step.get(event.device_id), newest.get(event.device_id)
        if before is not None and backup.same_as(
            before.backup.event.sha256, before.backup.outputs_sha256
        ):
            plan.steps.append(Step(backup, Fate.UNCHANGED, previous=before))
            continue
        if (
            before is None
            and indexed is not None
            and backup.same_as(indexed.sha256, indexed.outputs_sha256)
        ):
            fate = Fate.REDELIVERED if indexed.run_id == event.run_id else Fate.UNCHANGED
            plan.steps.append(Step(backup, fate, commit=indexed.commit))
            continue
        files = backup.files()
        step = Step(
            backup,
            Fate.COMMITTED,
            previous=before,
            previous_commit=indexed.commit if indexed else None,
            written={p: text for p, text in files.items() if blobs.get(p) != blob_id(text)},
            removed=sorted(p for p in blobs if config_beside(p) == path and p not in files),
        )
        if not step.written and not step.removed:
            step.fate = Fate.ALREADY_IN_GIT if before is None else Fate.UNCHANGED
        else:
            step.group = _first_group_free(
                paths_of_group,
                path,
                after=before.group if before and before.group is not None else -1,
            )
            if step.group == len(plan.groups):
                plan.groups.append([])
                paths_of_group.append(set())
            plan.groups[step.group].append(step)
            paths_of_group[step.group].add(path)
            blobs.update({p: blob_id(text) for p, text in step.written.items()})
            for removed in step.removed:
                del blobs[removed]
        latest_step[event.device_id] = step
        plan.steps.append(step)
    return plan


def _first_group_free(paths_of_group: list[set[str]], path: str, after: int) -> int:
    """The earliest commit after `after` that does not hold the config `path` (nor its outputs)
    yet; one past the last if none."""
    for index in range(after + 1, len(paths_of_group)):
        if path not in paths_of_group[index]:
            return index
    return len(paths_of_group)
