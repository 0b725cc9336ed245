"""Checks for schedule fields, so a bad cron expression or timezone is a 422 with a reason."""

from datetime import UTC, datetime
from functools import cache
from zoneinfo import available_timezones

from croniter import croniter

CRON_FIELDS = 5
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_cron_expression(expression: str) -> str:
    expression = " ".join(expression.split())
    if len(expression.split(" ")) != CRON_FIELDS:
        raise ValueError(
            "a cron expression has 5 fields: minute hour day-of-month month day-of-week"
        )
    try:
        valid = croniter.is_valid(expression)
        if valid:
            croniter(expression, datetime(2026, 1, 1, tzinfo=UTC)).get_next(datetime)
    except Exception:  # noqa: BLE001  croniter raises several types; any of them means the expression is unusable
        valid = False
    if not valid:
        raise ValueError(f"'{expression}' is not a valid cron expression (or it never fires)")
    return expression


def check_timezone(name: str) -> str:
    if name not in _timezones():
        raise ValueError(
            f"unknown timezone '{name}': use an IANA name such as 'Europe/Berlin' or 'UTC'"
        )
    return name


def check_datetime(value: datetime) -> datetime:
    try:
        value = value.astimezone(UTC)
    except OverflowError:
        raise ValueError("date out of range") from None
    if not EARLIEST <= value < LATEST:
        raise ValueError("date out of range: between the years 2000 and 9000")
    return value
