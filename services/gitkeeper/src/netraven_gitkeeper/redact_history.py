"""`python -m netraven_gitkeeper redact-history [--dry-run]`: today's redaction rules over the
configs at HEAD.

A rule added today protects the backups to come; the configs already stored keep what older rules
missed. This takes every config file at HEAD through the redact step of its device's platform and
commits each one that changes, alone, with the `Config:` line and the index row gitkeeper's own
writes make. Old commits keep the leak: purging them is an operator's job (docs/redaction.md).

Each device is read, redacted, committed and indexed under the repository lock gitkeeper's writer
takes for each batch (`repository_lock`), so it is safe while gitkeeper runs on the same host. A
file no device of the index owns (a device deleted since) is reported and left as it is. A device's
file from before it was renamed is redacted too, but its commit carries no `Config:` line and no
index row: the device's newest version stays the file of its current name. So is a driver's extra
output beside a config (`<hostname>.version.txt`), redacted by its device's platform: the api reads
an output at a config version, so the redacted one is shown from the device's next config version.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from netraven_shared.config_transport import sha256_of
from netraven_shared.drivers.catalog import DriverCatalog, UnknownPlatform
from netraven_shared.drivers.pipeline import redact
from netraven_shared.drivers.spec import REDACTED, DriverSpec
from netraven_shared.events.base import utc_now
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from netraven_gitkeeper.commit_message import StoredFile, commit_message
from netraven_gitkeeper.config_repo import ConfigRepository, config_beside
from netraven_gitkeeper.config_repo_lock import repository_lock
from netraven_gitkeeper.reconcile import reconcile
from netraven_gitkeeper.repository import FileOwner, file_owners, latest_versions, record_versions
from netraven_gitkeeper.search import count_changes

SUBJECT = "redact: re-applied today's redaction rules"


@dataclass(frozen=True)
class Redacted:
    """One file that today's rules change: how many more values they redact, and the commit (None in
    a dry run)."""

    path: str
    values: int
    commit: str | None


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


async def redact_history(
    repo: ConfigRepository,
    sessions: async_sessionmaker[AsyncSession],
    catalog: DriverCatalog,
    dry_run: bool,
    report: Callable[[str], None] = print,
) -> tuple[list[Redacted], list[Skipped]]:
    async with repository_lock(repo.root):
        # commits an interrupted earlier run (or gitkeeper) made without their index rows
        await reconcile(repo, sessions)
    async with sessions() as session:
        owners = await file_owners(session)
        newest = {version.device_id: version for version in await latest_versions(session)}
    redacted: list[Redacted] = []
    skipped: list[Skipped] = []

    def leave(path: str, why: str) -> None:
        skipped.append(
            Skipped(path, f"{why}: left as it is; docs/redaction.md says how to purge it")
        )
        report(f"{path}: {skipped[-1].reason}")

    for path in await asyncio.to_thread(repo.paths_at_head):
        owner = owners.get(config_beside(path))
        if owner is None:
            leave(path, "no device in the inventory owns this file (deleted since?)")
            continue
        try:
            spec = catalog.driver_for(owner.device_type)
        except UnknownPlatform as error:
            leave(path, str(error))
            continue
        version = newest.get(owner.device_id)
        current = version is not None and version.path == path
        # the commit leaves the device's outputs as they are: its new version keeps their digest
        outputs = version.outputs_sha256 if version is not None and current else None
        outcome = await _redact_file(repo, sessions, path, spec, owner, current, outputs, dry_run)
        if outcome is not None:
            redacted.append(outcome)
            done = f"commit {outcome.commit[:12]}" if outcome.commit else "dry run, nothing written"
            report(f"{path}: {outcome.values} more value(s) redacted ({done})")
    report(
        f"{len(redacted)} file(s) {'would change' if dry_run else 'changed'}, "
        f"{len(skipped)} left as they are"
    )
    return redacted, skipped


async def _redact_file(
    repo: ConfigRepository,
    sessions: async_sessionmaker[AsyncSession],
    path: str,
    spec: DriverSpec,
    owner: FileOwner,
    current: bool,
    outputs_sha256: str | None,
    dry_run: bool,
) -> Redacted | None:
    async with repository_lock(repo.root):
        head = await asyncio.to_thread(repo.head)
        text = await asyncio.to_thread(repo.read, head, path) if head is not None else None
        if text is None:
            return None
        clean = redact(text, spec)
        if clean == text:
            return None
        values = clean.count(REDACTED) - text.count(REDACTED)
        if dry_run:
            return Redacted(path, values, None)
        stored = StoredFile(
            device_id=owner.device_id,
            hostname=owner.hostname,
            run_id=None,
            sha256=sha256_of(clean),
            size_bytes=len(clean.encode()),
            stored_at=utc_now(),
            path=path,
            outputs_sha256=outputs_sha256,
        )
        message = commit_message([stored] if current else [], SUBJECT)
        commit = await asyncio.to_thread(repo.commit, {path: clean}, message)
        if not current:
            return Redacted(path, values, commit.commit)
        async with sessions() as session:
            await record_versions(
                session,
                [
                    {
                        "device_id": stored.device_id,
                        "commit": commit.commit,
                        "path": path,
                        "sha256": stored.sha256,
                        "size_bytes": stored.size_bytes,
                        "committed_at": stored.stored_at,
                        "run_id": None,
                        "changed_lines": sum(count_changes(commit.diffs.get(path, ""))),
                        "outputs_sha256": stored.outputs_sha256,
                    }
                ],
            )
            await session.commit()
    return Redacted(path, values, commit.commit)
