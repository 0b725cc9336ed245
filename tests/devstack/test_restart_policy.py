"""When a dead service is restarted, and when `make run` gives up on it: decisions alone, on a fake
clock."""

from datetime import UTC, datetime, timedelta

from netraven_devstack.restart_policy import GiveUp, Restart, RestartHistory, RestartPolicy

from tests.fixtures.clock import FakeClock


def seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def history(clock: FakeClock) -> RestartHistory:
    return RestartHistory(RestartPolicy(), clock)


def crash_after(history: RestartHistory, clock: FakeClock, uptime: float) -> Restart | GiveUp:
    """The service runs `uptime` seconds, exits, and (when told to) is restarted after its delay."""
    clock.now += seconds(uptime)
    decision = history.exited()
    if isinstance(decision, Restart):
        clock.now += decision.delay
        history.started()
    return decision


class TestBackoff:
    def test_the_delay_doubles_from_1_s_while_the_service_keeps_failing(self) -> None:
        clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
        restarts = history(clock)
        decisions = [crash_after(restarts, clock, uptime=30) for _ in range(4)]
        assert decisions == [
            Restart(seconds(1), 1),
            Restart(seconds(2), 2),
            Restart(seconds(4), 3),
            Restart(seconds(8), 4),
        ]

    def test_the_delay_stops_growing_at_30_s(self) -> None:
        clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
        restarts = history(clock)
        delays = [crash_after(restarts, clock, uptime=40).delay for _ in range(8)]  # type: ignore[union-attr]
        assert delays == [seconds(s) for s in (1, 2, 4, 8, 16, 30, 30, 30)]

    def test_a_minute_up_starts_the_delay_over_but_keeps_counting_restarts(self) -> None:
        clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
        restarts = history(clock)
        for _ in range(3):
            crash_after(restarts, clock, uptime=1)
        assert crash_after(restarts, clock, uptime=60) == Restart(seconds(1), 4)


class TestKeepsDying:
    def test_the_fifth_exit_within_two_minutes_gives_up_with_the_reason(self) -> None:
        clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
        restarts = history(clock)
        decisions = [crash_after(restarts, clock, uptime=0.5) for _ in range(5)]
        assert all(isinstance(d, Restart) for d in decisions[:4])
        assert decisions[4] == GiveUp("exited 5 times within 120 s")

    def test_exits_further_apart_than_the_window_never_give_up(self) -> None:
        clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
        restarts = history(clock)
        decisions = [crash_after(restarts, clock, uptime=31) for _ in range(20)]
        assert all(isinstance(d, Restart) for d in decisions)
        assert decisions[-1].number == 20  # type: ignore[union-attr]
