import pytest

from netraven_api.runs.progress import status_of


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([], "queued"),
        (["queued", "queued"], "queued"),
        (["running", "queued"], "running"),
        (["succeeded", "queued"], "running"),
        (["succeeded", "succeeded"], "succeeded"),
        (["failed", "failed"], "failed"),
        (["succeeded", "failed"], "partial"),
    ],
)
def test_a_run_status_follows_from_its_results(results: list[str], expected: str) -> None:
    assert status_of(results) == expected
