"""Gitkeeper's Prometheus families: the commits it makes and how many configs each holds, and
each mirror's pushes (a counter of failed attempts, and whether the mirror is failing now)."""

from prometheus_client import Counter, Gauge, Histogram

COMMITS = Counter("netraven_git_commits", "Commits made to the config repository")
COMMIT_BATCH_SIZE = Histogram(
    "netraven_git_commit_batch_size",
    "Configs (device files) per commit",
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
)
MIRROR_PUSH_FAILURES = Counter(
    "netraven_mirror_push_failures",
    "Failed push attempts to a git mirror",
    ["mirror"],
)
MIRROR_FAILING = Gauge(
    "netraven_mirror_failing",
    "1 while a git mirror's last push failed, 0 once one succeeds",
    ["mirror"],
)


def count_commit(configs: int) -> None:
    COMMITS.inc()
    COMMIT_BATCH_SIZE.observe(configs)


def mirror_pushed(mirror: str) -> None:
    """Also where a mirror's series start, at 0, before its first push."""
    MIRROR_FAILING.labels(mirror).set(0)


def mirror_push_failed(mirror: str) -> None:
    MIRROR_PUSH_FAILURES.labels(mirror).inc()
    MIRROR_FAILING.labels(mirror).set(1)
