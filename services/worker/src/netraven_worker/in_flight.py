"""The requests a worker process holds: pulled, kept ours while worked on, counted, handed back,
drained.

- **Pulled** (`DispatchPull`) straight through nats-py from the `workers` durable, one pull request
  at a time for as many requests as there are free session slots, never more: a request fetched
  past the free slots would wait here unworked, and while a database outage holds every slot its
  ack wait runs out: it is delivered twice, and its device counts an attempt it never made. Each
  request starts as a task the moment it arrives; none waits for a batch to fill. (FastStream's
  pull subscribers, one per slot, spent about a seventh of the worker's CPU per device on their
  own per-message machinery.)
- **Kept alive**: while a request is worked on its message gets in-progress acks (one timer for
  all of them), so the consumer's ack wait only bounds how long a *crashed* worker holds it.
- **Counted**: the heartbeat reports how many run now.
- **Drained**: SIGTERM stops pulling (a dispatch the last pull request still brings is handed
  on to another worker) and gives the sessions in flight up to `NETRAVEN_DRAIN_SECONDS` to
  finish, then hands back whatever still runs: nacked with a delay of the device lock's TTL, so
  another worker takes it once the abandoned session's lock (never released) has expired. The
  abandoned session's thread dies with the process (see `__main__`).
"""

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress

import structlog
from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from netraven_shared.events import subjects
from netraven_shared.messaging import consumer_config, stream_of
from netraven_shared.operator_log import OperatorLog
from netraven_shared.pull_requests import PullRequests, ensure_durable
from netraven_shared.task_stop import stop_task

from netraven_worker.config import WorkerSettings

log = structlog.get_logger()

WORKERS_CONSUMER = "workers"
PULL_SECONDS = 5.0  # how long one pull request waits on the server for requests to arrive
PULL_GRACE_SECONDS = 1.0  # then its end (a 408) is waited for this much longer

Work = Callable[[Msg], Awaitable[None]]


class InFlight:
    """`keep_alive_seconds`: how often a held message gets an in-progress ack (None: never)."""

    def __init__(self, keep_alive_seconds: float | None = None) -> None:
        self._keep_alive_seconds = keep_alive_seconds
        self._running: dict[asyncio.Task, Msg] = {}
        self._handed_back: set[asyncio.Task] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._freed = asyncio.Event()
        self._keeper: asyncio.Task | None = None

    @property
    def count(self) -> int:
        return len(self._running)

    def start(self, message: Msg, work: Work) -> None:
        """Work on `message` in a task of its own, held (and kept alive) until `work` returns."""
        task = asyncio.create_task(self._run(message, work))
        self._running[task] = message
        self._idle.clear()
        if self._keep_alive_seconds is not None and (self._keeper is None or self._keeper.done()):
            self._keeper = asyncio.create_task(self._keep_alive(self._keep_alive_seconds))

    async def free_slot(self, capacity: int) -> int:
        """How many of `capacity` slots are free, once at least one is."""
        while len(self._running) >= capacity:
            self._freed.clear()
            await self._freed.wait()
        return capacity - len(self._running)

    async def wait_idle(self, timeout: float) -> bool:
        """True once nothing is in flight; False if work is still running after `timeout` s."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def hand_back(self, delay: float) -> int:
        """Nack every request still running (JetStream delivers it again after `delay` seconds,
        to any worker) and stop working on it here."""
        running = list(self._running.items())
        for task, message in running:
            try:
                await message.nak(delay=delay)
            except Exception as error:  # noqa: BLE001  the ack wait hands it back anyway
                log.warning("worker.hand_back_failed", error=str(error))
            self._handed_back.add(task)
            task.cancel()
        return len(running)

    async def _run(self, message: Msg, work: Work) -> None:
        task = asyncio.current_task()
        assert task is not None
        try:
            await work(message)
        except asyncio.CancelledError:
            if task not in self._handed_back:
                raise
            # Cancelled by `hand_back` alone, its message already nacked: end quietly.
            self._handed_back.discard(task)
        finally:
            del self._running[task]
            self._freed.set()
            if not self._running:
                self._idle.set()

    async def _keep_alive(self, every_seconds: float) -> None:
        while self._running:
            await asyncio.sleep(every_seconds)
            for message in list(self._running.values()):
                try:
                    await message.in_progress()
                except Exception as error:  # noqa: BLE001  the next round tries again
                    log.warning("worker.in_progress_failed", error=str(error))


class DispatchPull:
    """The `workers` durable's pull loop: every dispatch delivered starts at once under `InFlight`.

    One pull request at a time through `PullRequests`, which drops the end of a request that
    outlived its wait here (its 408 arriving late)."""

    def __init__(
        self,
        broker: NatsBroker,
        settings: WorkerSettings,
        in_flight: InFlight,
        work: Work,
        source: tuple[str, str] = (subjects.JOB_DISPATCHED, WORKERS_CONSUMER),
    ) -> None:
        """`source`: the subject and durable pulled from (a remote site's collector pulls its
        site's)."""
        self._subject, self._durable = source
        self._broker = broker
        self._settings = settings
        self._in_flight = in_flight
        self._work = work
        self._requests: PullRequests | None = None
        self._loop: asyncio.Task | None = None
        self._stopping = False
        self._awaited = 0
        self._request_over = asyncio.Event()  # set while no pull request is open
        self._request_over.set()
        self._refused = False

    async def start(self) -> None:
        js: JetStreamContext = self._broker.config.connection_state.stream
        stream = stream_of(self._subject)
        config = consumer_config(
            self._settings.ack_wait_seconds, max_deliver=self._settings.max_attempts + 2
        )
        config.filter_subject, config.durable_name = self._subject, self._durable
        await ensure_durable(js, stream, config)
        self._requests = PullRequests(js, stream, self._durable, self._delivered, self._ended)
        await self._requests.open()
        self._loop = asyncio.create_task(self._pull())

    def problem(self) -> str | None:
        """Why no dispatch is pulled although the worker runs (for `/health`), or None."""
        if self._loop is not None and self._loop.done() and not self._stopping:
            return "worker: the dispatch pull loop stopped"
        return None

    async def stop(self) -> None:
        """Send no further pull request, and start nothing more: what the open request still
        delivers is handed on at once to another worker (nacked with no delay; its delivery
        count grows by one, well within the consumer's `max_deliver`)."""
        self._stopping = True
        with suppress(TimeoutError):
            await asyncio.wait_for(self._request_over.wait(), PULL_SECONDS + PULL_GRACE_SECONDS)
        await stop_task(self._loop)
        if self._requests is not None:
            await self._requests.close()

    async def _pull(self) -> None:
        assert self._requests is not None
        while True:
            free = await self._in_flight.free_slot(self._settings.concurrency)
            if self._stopping:
                return
            self._awaited, self._refused = free, False
            self._request_over.clear()
            try:
                await self._requests.send(free, PULL_SECONDS)
                await asyncio.wait_for(self._request_over.wait(), PULL_SECONDS + PULL_GRACE_SECONDS)
            except TimeoutError:
                pass  # its end was lost (NATS reconnected, say): the next request replaces it
            except Exception as error:  # noqa: BLE001  NATS away: the next request retries
                log.warning("worker.pull_failed", error=f"{type(error).__name__}: {error}")
                self._refused = True
            self._request_over.set()
            if self._refused:  # no hot loop on a consumer that is gone or a NATS that is away
                await asyncio.sleep(PULL_GRACE_SECONDS)

    async def _ended(self, status: str) -> None:
        """404, 408, 409: the request is over."""
        self._refused = status != "408"
        self._request_over.set()

    async def _delivered(self, message: Msg) -> None:
        if self._stopping:
            await self._hand_on(message)
        else:
            self._in_flight.start(message, self._work)
        self._awaited -= 1
        if self._awaited <= 0:
            self._request_over.set()

    @staticmethod
    async def _hand_on(message: Msg) -> None:
        try:
            await message.nak()
        except Exception as error:  # noqa: BLE001  the ack wait hands it on anyway
            log.warning("worker.hand_on_failed", error=str(error))


class Drain:
    """The worker's shutdown hook: stop pulling, wait for the sessions in flight, hand back the
    rest."""

    def __init__(
        self,
        broker: NatsBroker,
        pull: DispatchPull,
        in_flight: InFlight,
        settings: WorkerSettings,
    ) -> None:
        self._pull = pull
        self._in_flight = in_flight
        self._settings = settings
        self._oplog = OperatorLog(broker, "worker")

    async def __call__(self) -> None:
        await self._pull.stop()
        bound = self._settings.drain_seconds
        log.info("worker.draining", in_flight=self._in_flight.count, bound_seconds=bound)
        if await self._in_flight.wait_idle(bound):
            log.info("worker.drained")
            return
        retry_in = self._settings.lock_ttl_seconds
        handed_back = await self._in_flight.hand_back(delay=retry_in)
        message = (
            f"{self._settings.worker_id}: stopping; {handed_back} session(s) still running after "
            f"{bound:g} s were handed back and will be retried by another worker in {retry_in:g} s"
        )
        log.warning("worker.handed_back", count=handed_back, bound_seconds=bound)
        await self._oplog.emit("warning", "system", message)
