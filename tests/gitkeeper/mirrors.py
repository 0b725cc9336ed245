"""What the mirror tests share: a pusher on a temp repository with the real NATS, the events and
log lines it publishes, and its status as the KV bucket holds it."""

import asyncio
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from uuid import uuid4

import nats
from faststream.nats import NatsBroker
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.mirror_announcer import MirrorAnnouncer
from netraven_gitkeeper.mirror_pusher import MirrorPusher
from netraven_gitkeeper.mirror_settings import Mirror
from netraven_shared.events import LogEmitted, subjects
from netraven_shared.events.logs import LOG_LINE_SUBJECTS, lines_in
from netraven_shared.events.mirror_status import MIRRORS_BUCKET, MirrorStatus, mirror_key
from netraven_shared.events.mirrors import MirrorPushFailed, MirrorPushRecovered

from tests.fixtures.infra import Infra

T = TypeVar("T")


def bare_repository(path: Path) -> Path:
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    return path


def tip_of(remote: Path, branch: str = "main") -> str | None:
    done = subprocess.run(
        ["git", "-C", str(remote), "rev-parse", "-q", "--verify", f"refs/heads/{branch}"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or None


def commit_config(repo: ConfigRepository, text: str) -> str:
    return repo.commit({"r1.cfg": text}, f"backup {text[:20]}").commit


def unique_name() -> str:
    return f"m-{uuid4().hex[:12]}"


@dataclass
class Heard:
    failed: list[MirrorPushFailed] = field(default_factory=list)
    recovered: list[MirrorPushRecovered] = field(default_factory=list)
    lines: list[LogEmitted] = field(default_factory=list)


@asynccontextmanager
async def heard_about(infra: Infra, mirror: str) -> AsyncIterator[Heard]:
    """The mirror events and gitkeeper log lines about `mirror` (alone or in a batch) published
    while inside."""
    heard = Heard()
    connection = await nats.connect(**infra.nats_options())

    async def collect(message) -> None:
        if message.subject == subjects.MIRROR_PUSH_FAILED:
            event = MirrorPushFailed.model_validate_json(message.data)
            if event.mirror == mirror:
                heard.failed.append(event)
        elif message.subject == subjects.MIRROR_PUSH_RECOVERED:
            recovered = MirrorPushRecovered.model_validate_json(message.data)
            if recovered.mirror == mirror:
                heard.recovered.append(recovered)
        else:
            lines = lines_in(message.subject, message.data)
            heard.lines += [line for line in lines if line.extra.get("mirror") == mirror]

    for subject in (
        subjects.MIRROR_PUSH_FAILED,
        subjects.MIRROR_PUSH_RECOVERED,
        *LOG_LINE_SUBJECTS,
    ):
        await connection.subscribe(subject, cb=collect)
    await connection.flush()
    try:
        yield heard
    finally:
        await connection.close()


@asynccontextmanager
async def running(
    broker: NatsBroker, mirror: Mirror, repo: ConfigRepository, push_timeout: float = 30
) -> AsyncIterator[MirrorPusher]:
    pusher = MirrorPusher(
        mirror,
        repo.root,
        MirrorAnnouncer(broker),
        retry_max_seconds=0.2,
        push_timeout_seconds=push_timeout,
    )
    await pusher.start()
    try:
        yield pusher
    finally:
        await pusher.stop()


async def status_of(broker: NatsBroker, name: str) -> MirrorStatus | None:
    bucket = await broker.config.connection_state.stream.key_value(MIRRORS_BUCKET)
    try:
        entry = await bucket.get(mirror_key(name))
    except nats.js.errors.KeyNotFoundError:
        return None
    return MirrorStatus.model_validate_json(entry.value or b"")


async def eventually(
    read: Callable[[], Awaitable[T]], holds: Callable[[T], bool], seconds: float = 15
) -> T:
    """The first value `read` gives that `holds`; fails with the last one after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = await read()
        if holds(value):
            return value
        assert time.monotonic() < deadline, f"still {value!r} after {seconds} s"
        await asyncio.sleep(0.05)
