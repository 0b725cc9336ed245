"""Which known secrets a stored config still holds: the check every golden session passes, and the
one the replay command (`python -m netraven_worker.drivers test`) runs for an operator's driver."""

from collections.abc import Iterable


def read_secrets(text: str) -> list[str]:
    """One secret a line, kept whole (a value may hold spaces: a quoted password); blank lines
    skipped."""
    return [line for line in text.splitlines() if line.strip()]


def surviving_secrets(secrets: Iterable[str], stored: str) -> list[str]:
    return [secret for secret in secrets if secret in stored]
