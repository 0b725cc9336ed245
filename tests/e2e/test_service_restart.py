"""Every service of the stack is listed by `GET /api/services`; one killed with -9 under
`make run`'s supervisor comes back, listed with its restart count."""

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from httpx import AsyncClient
from netraven_devstack.ports import free_port
from netraven_devstack.restart_policy import RestartPolicy
from netraven_devstack.service_set import SERVICE_MODULES, ServiceSet
from netraven_devstack.supervisor import Supervisor

from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e
QUICK = RestartPolicy(first_delay=timedelta(milliseconds=200))


async def wait_for_listing(
    client: AsyncClient,
    condition: Callable[[list[dict]], bool],
    tick: Callable[[], None] = lambda: None,
    timeout: float = 60,
) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tick()
        response = await client.get("/api/services")
        assert response.status_code == 200, response.text
        if condition(listing := response.json()):
            return listing
        await asyncio.sleep(0.3)
    raise AssertionError(f"not listed as expected after {timeout} s: {listing}")


async def test_every_service_of_the_stack_is_listed_and_ready(
    stack: Stack, stack_admin: AsyncClient
) -> None:
    pids = {name: stack.services.services[name].process.pid for name in SERVICE_MODULES}
    listing = await wait_for_listing(
        stack_admin, lambda items: {(s["service"], s["pid"]) for s in items} >= set(pids.items())
    )
    ours = [s for s in listing if (s["service"], s["pid"]) in pids.items()]
    assert all(s["ready"] and s["restarts"] == 0 for s in ours), ours
    assert [s["service"] for s in listing] == sorted(s["service"] for s in listing)


async def test_a_killed_service_is_restarted_and_listed_with_its_restart_count(
    stack: Stack, stack_admin: AsyncClient, tmp_path: Path
) -> None:
    # A second log-collector of its own, so the shared stack is left as it was.
    services = ServiceSet(tmp_path / "logs")
    doomed = services.start_service("log-collector", stack.env_for("log-collector"), free_port())
    said: list[str] = []
    supervisor = Supervisor(services, said.append, QUICK)

    def supervise() -> None:
        assert supervisor.check() is None, said

    try:
        services.wait_healthy()
        await wait_for_listing(
            stack_admin, lambda items: any(s["pid"] == doomed.process.pid for s in items)
        )
        doomed.process.kill()

        def restarted_is_listed(items: list[dict]) -> bool:
            current = services.services["log-collector"].process.pid
            return current != doomed.process.pid and any(
                s["pid"] == current and s["ready"] for s in items
            )

        listing = await wait_for_listing(stack_admin, restarted_is_listed, supervise)
    finally:
        codes = services.stop_all()
    restarted = next(
        s for s in listing if s["pid"] == services.services["log-collector"].process.pid
    )
    assert (restarted["service"], restarted["restarts"], restarted["ready"]) == (
        "log-collector",
        1,
        True,
    )
    assert said[0].startswith(
        "log-collector exited with status -9; restarting in 0.2 s (restart 1)"
    )
    assert codes == {"log-collector": 0}
