"""Every service exits cleanly, with status 0, on SIGTERM. Runs last: it stops the shared stack."""

import pytest

from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.stops_the_stack]


def test_every_service_exits_cleanly_on_sigterm(stack: Stack) -> None:
    assert stack.services.stop_all() == {name: 0 for name in stack.services.services}
