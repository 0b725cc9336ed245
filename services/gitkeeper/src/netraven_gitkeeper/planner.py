"""Decide, for a batch of backups, which make a commit and which are already stored. Pure: no git,
no SQL.

A batch becomes as few commits as possible. A file appears once per commit, so a device backed up
twice with different configs in one batch gets one commit per version, in order: its history keeps
both; every other device goes into the first commit.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from netraven_shared.events import DeviceBackedUp

from netraven_gitkeeper.config_repo import blob_id, config_path, output_path


class Fate(StrEnum):
    COMMITTED = "committed"  # a new commit holds it
    UNCHANGED = "unchanged"  # same as the device's newest version: no commit, no row
    REDELIVERED = "redelivered"  # this very backup is already committed and indexed (a redelivery)
    ALREADY_IN_GIT = (
        "already_in_git"  # git has this content for the file, the device has no row for it yet
    )


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

    def files(self) -> dict[str, str]:
        """The config and, beside it, each extra output: what a commit of this backup holds."""
        return {self.path: self.text} | {
            output_path(self.path, name): text for name, text in self.outputs
        }


@dataclass(frozen=True)
class Newest:
    """A device's newest indexed version."""

    commit: str
    sha256: str
    run_id: UUID | None


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


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    groups: list[list[Step]] = field(default_factory=list)


def plan_batch(
    backups: list[Backup],
    newest: dict[UUID, Newest],
    committed_blob: Callable[[str], str | None],
) -> Plan:
    plan = Plan()
    latest_step: dict[UUID, Step] = {}
    blob_of_path: dict[str, str | None] = {}
    paths_of_group: list[set[str]] = []
    for backup in backups:
        event, path = backup.event, backup.path
        before, indexed = latest_step.get(event.device_id), newest.get(event.device_id)
        if before is not None and before.backup.event.sha256 == event.sha256:
            plan.steps.append(Step(backup, Fate.UNCHANGED, previous=before))
            continue
        if before is None and indexed is not None and indexed.sha256 == event.sha256:
            fate = Fate.REDELIVERED if indexed.run_id == event.run_id else Fate.UNCHANGED
            plan.steps.append(Step(backup, fate, commit=indexed.commit))
            continue
        if path not in blob_of_path:
            blob_of_path[path] = committed_blob(path)
        step = Step(
            backup,
            Fate.COMMITTED,
            previous=before,
            previous_commit=indexed.commit if indexed else None,
        )
        if blob_of_path[path] == blob_id(backup.text) and before is None:
            step.fate = Fate.ALREADY_IN_GIT
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
            blob_of_path[path] = blob_id(backup.text)
        latest_step[event.device_id] = step
        plan.steps.append(step)
    return plan


def _first_group_free(paths_of_group: list[set[str]], path: str, after: int) -> int:
    """The earliest commit after `after` that does not hold `path` yet; one past the last if
    none."""
    for index in range(after + 1, len(paths_of_group)):
        if path not in paths_of_group[index]:
            return index
    return len(paths_of_group)
