import re
from pathlib import Path

from netraven_docs.permission_table import permission_table
from netraven_shared.bus_identities import IDENTITIES, identities_allowed_to_publish
from netraven_shared.events import subjects

DOCUMENT = Path(__file__).parents[2] / "docs" / "security.md"


def test_the_identity_table_in_docs_security_is_the_matrix() -> None:
    block = re.search(
        r"<!-- identities:[^\n]*-->\n(.*?)<!-- /identities -->", DOCUMENT.read_text(), re.DOTALL
    )
    assert block is not None
    assert block.group(1) == permission_table(), "docs/security.md is stale: run `make docs`"


class TestWhoMayPublish:
    def test_only_the_worker_publishes_backups(self) -> None:
        assert identities_allowed_to_publish(subjects.BACKUP_SUCCEEDED) == ["worker"]

    def test_only_gitkeeper_announces_stored_configs(self) -> None:
        assert identities_allowed_to_publish(subjects.CONFIG_STORED) == ["gitkeeper"]

    def test_every_service_may_report_a_rejection_and_no_integrator(self) -> None:
        assert identities_allowed_to_publish(subjects.EVENT_REJECTED) == sorted(
            set(IDENTITIES) - {"integrator"}
        )

    def test_the_scheduler_requests_a_run_start(self) -> None:
        assert identities_allowed_to_publish(subjects.START_RUN) == ["scheduler"]
