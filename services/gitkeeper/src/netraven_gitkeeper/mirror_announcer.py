"""What gitkeeper tells about its mirrors: each mirror's status in the `netraven-mirrors` KV
bucket, and the start and end of a failing streak as events (`MirrorPushFailed`,
`MirrorPushRecovered`) and lines of the operator log.

Nothing here may stop a push: a status or event that cannot be published (NATS away) is logged
and the next attempt writes the status again.
"""

from contextlib import suppress
from datetime import datetime

import structlog
from faststream.nats import NatsBroker
from nats.errors import Error as NatsError
from nats.js.errors import BucketNotFoundError, KeyNotFoundError, NoKeysError
from nats.js.kv import KeyValue
from netraven_shared.events.base import fitted
from netraven_shared.events.mirror_status import MIRRORS_BUCKET, MirrorStatus, mirror_key
from netraven_shared.events.mirrors import MirrorPushFailed, MirrorPushRecovered
from netraven_shared.key_value import open_bucket
from netraven_shared.messaging import publish_event
from netraven_shared.operator_log import OperatorLog
from pydantic import ValidationError

log = structlog.get_logger()


class MirrorAnnouncer:
    def __init__(self, broker: NatsBroker, replicas: int = 1) -> None:
        self._broker = broker
        self._replicas = replicas
        self._oplog = OperatorLog(broker, "gitkeeper")
        self._bucket: KeyValue | None = None

    async def forget_all_but(self, names: list[str]) -> None:
        """Remove the status of every mirror no longer configured."""
        try:
            bucket = await self._opened()
            keys = await bucket.keys()
        except (BucketNotFoundError, NoKeysError):
            return
        except NatsError as error:
            log.warning("mirror.status_unreadable", error=str(error))
            return
        kept = {mirror_key(name) for name in names}
        for key in set(keys) - kept:
            with suppress(NatsError):
                await bucket.purge(key)

    async def previous(self, name: str) -> MirrorStatus | None:
        """The status written before this process started, by it or another replica."""
        try:
            entry = await (await self._opened()).get(mirror_key(name))
            return MirrorStatus.model_validate_json(entry.value or b"")
        except (KeyNotFoundError, BucketNotFoundError, ValidationError):
            return None
        except NatsError as error:
            log.warning("mirror.status_unreadable", mirror=name, error=str(error))
            return None

    async def status(self, status: MirrorStatus) -> None:
        try:
            bucket = await self._opened()
            await bucket.put(mirror_key(status.name), status.model_dump_json().encode())
        except NatsError as error:
            log.warning("mirror.status_not_written", mirror=status.name, error=str(error))

    async def failed(self, status: MirrorStatus) -> None:
        assert status.last_error is not None and status.failing_since is not None
        log.warning(
            "mirror.push_failed",
            mirror=status.name,
            remote=status.remote,
            error=status.last_error,
            attempts=status.attempts,
        )
        await self._publish(
            MirrorPushFailed(
                mirror=status.name,
                remote=status.remote,
                error=status.last_error,
                failing_since=status.failing_since,
                attempts=status.attempts,
                commits_waiting=status.commits_waiting,
            )
        )
        await self._oplog.emit(
            "warning",
            "system",
            fitted(
                f"git mirror {status.name} ({status.remote}): push failed, retrying with backoff; "
                f"{status.commits_waiting} commits waiting: {status.last_error}"
            ),
            mirror=status.name,
        )

    async def recovered(self, status: MirrorStatus, failing_since: datetime) -> None:
        assert status.last_pushed_commit is not None
        log.info("mirror.push_recovered", mirror=status.name, remote=status.remote)
        await self._publish(
            MirrorPushRecovered(
                mirror=status.name,
                remote=status.remote,
                commit=status.last_pushed_commit,
                failing_since=failing_since,
            )
        )
        await self._oplog.emit(
            "info",
            "system",
            f"git mirror {status.name} ({status.remote}): pushed again, it holds "
            f"{status.last_pushed_commit[:12]} (failing since {failing_since:%Y-%m-%d %H:%M} UTC)",
            mirror=status.name,
        )

    async def _publish(self, event: MirrorPushFailed | MirrorPushRecovered) -> None:
        try:
            await publish_event(self._broker, event)
        except Exception as error:  # noqa: BLE001  an announcement must never stop the pusher
            log.warning("mirror.event_not_published", event=event.subject, error=str(error))

    async def _opened(self) -> KeyValue:
        if self._bucket is None:
            self._bucket = await open_bucket(
                self._broker.config.connection_state.stream, MIRRORS_BUCKET, replicas=self._replicas
            )
        return self._bucket
