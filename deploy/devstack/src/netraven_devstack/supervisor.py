"""`make run` after start-up: restart each service that exits, until Ctrl-C or one keeps dying.

Restarts follow restart_policy.py. A service waiting for its restart does not hold up the others:
each look at the set restarts what is due and notes new exits, then returns.
"""

import time
from collections.abc import Callable
from datetime import datetime

from netraven_devstack.restart_policy import GiveUp, RestartHistory, RestartPolicy, wall_clock
from netraven_devstack.service_set import RunningService, ServiceSet

LOG_TAIL_LINES = 12
DEFAULT_POLICY = RestartPolicy()


class Supervisor:
    def __init__(
        self,
        services: ServiceSet,
        say: Callable[[str], None],
        policy: RestartPolicy = DEFAULT_POLICY,
        clock: Callable[[], datetime] = wall_clock,
    ) -> None:
        self._services = services
        self._say = say
        self._policy = policy
        self._clock = clock
        self._histories: dict[str, RestartHistory] = {}
        self._restart_due: dict[str, datetime] = {}
        for name in services.services:
            self._history(name)

    def run(self, poll_seconds: float = 0.5) -> str:
        """Supervise until one service keeps dying; returns why. Ctrl-C raises KeyboardInterrupt."""
        while (reason := self.check()) is None:
            time.sleep(poll_seconds)
        return reason

    def check(self) -> str | None:
        """Restart the services whose delay is over and schedule a restart for new exits;
        the reason to stop everything when a service keeps dying, else None."""
        now = self._clock()
        for service in self._services.exited():
            due = self._restart_due.get(service.name)
            if due is None:
                if (reason := self._exited(service, now)) is not None:
                    return reason
            elif now >= due:
                del self._restart_due[service.name]
                history = self._history(service.name)
                self._services.restart(service.name, history.restarts)
                history.started()
        return None

    def _exited(self, service: RunningService, now: datetime) -> str | None:
        status = service.process.returncode
        decision = self._history(service.name).exited()
        if isinstance(decision, GiveUp):
            return (
                f"{service.name} keeps dying: it {decision.reason} (last status {status}), so "
                f"everything stops; its log ends:\n{_last_lines(service)}"
            )
        seconds = decision.delay.total_seconds()
        message = (
            f"{service.name} exited with status {status}; "
            f"restarting in {seconds:g} s (restart {decision.number})"
        )
        self._say(f"{message}; its log ends:\n{_last_lines(service)}")
        service.append_to_log(f"netraven: {message}")
        self._restart_due[service.name] = now + decision.delay
        return None

    def _history(self, name: str) -> RestartHistory:
        if name not in self._histories:
            self._histories[name] = RestartHistory(self._policy, self._clock)
        return self._histories[name]


def _last_lines(service: RunningService) -> str:
    return "\n".join(service.log_tail().splitlines()[-LOG_TAIL_LINES:])
