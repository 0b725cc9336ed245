import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whole-stack tests (marked `e2e`: tests/e2e and tests/faults) run after all others: once started,
    the stack's services consume the shared streams, and would take other tests' requests and backups.
    Those that stop it run at the very end."""
    items.sort(key=lambda item: (item.get_closest_marker("e2e") is not None, item.get_closest_marker("stops_the_stack") is not None))
