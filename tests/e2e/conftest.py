from pathlib import Path

import pytest

E2E_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whole-stack tests run after all others: once started, the stack's services consume the shared
    streams, and would take other tests' requests and backups. Those that stop it run at the very
    end."""
    items.sort(
        key=lambda item: (
            E2E_TESTS in item.path.parents,
            item.get_closest_marker("stops_the_stack") is not None,
        )
    )
