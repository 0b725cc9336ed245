"""When `make run` restarts a service that exited, and when it gives up on it.

Decisions only, over the times of a service's starts and exits, with the clock passed in: the
delay doubles from 1 s up to 30 s while the service keeps failing and starts over once it has
stayed up for a minute; 5 exits within 2 minutes mean it keeps dying, and the stack stops.
"""

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


def wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RestartPolicy:
    first_delay: timedelta = timedelta(seconds=1)
    longest_delay: timedelta = timedelta(seconds=30)
    stable_after: timedelta = timedelta(seconds=60)
    exits_tolerated: int = 4  # within `window`; one more means the service keeps dying
    window: timedelta = timedelta(minutes=2)


@dataclass(frozen=True)
class Restart:
    delay: timedelta
    number: int  # how many times this service has been restarted, this restart included


@dataclass(frozen=True)
class GiveUp:
    reason: str


class RestartHistory:
    """One service's starts and exits, and what to do about its latest exit."""

    def __init__(self, policy: RestartPolicy, clock: Callable[[], datetime] = wall_clock) -> None:
        self._policy = policy
        self._clock = clock
        self._started_at = clock()
        self._recent_exits: deque[datetime] = deque()
        self._failures_in_a_row = 0
        self.restarts = 0

    def started(self) -> None:
        self._started_at = self._clock()

    def exited(self) -> Restart | GiveUp:
        now = self._clock()
        if now - self._started_at >= self._policy.stable_after:
            self._failures_in_a_row = 0
        self._recent_exits.append(now)
        while now - self._recent_exits[0] > self._policy.window:
            self._recent_exits.popleft()
        if len(self._recent_exits) > self._policy.exits_tolerated:
            window = self._policy.window.total_seconds()
            return GiveUp(f"exited {len(self._recent_exits)} times within {window:.0f} s")
        delay = min(
            self._policy.first_delay * 2**self._failures_in_a_row, self._policy.longest_delay
        )
        self._failures_in_a_row += 1
        self.restarts += 1
        return Restart(delay, self.restarts)
