"""`/metrics` on a running stack: every service serves its families on its health port (the api on
its internal metrics port, never its public one), the rules and the dashboard name only series
the services serve, and a backup of a lab device is counted where the worker and gitkeeper know
it."""

import asyncio
import json
import time
from collections.abc import Callable
from uuid import uuid4

import httpx
import nats
import pytest
from httpx import AsyncClient
from netraven_lab.lab import Lab
from netraven_shared.bus_identities import IDENTITIES
from netraven_shared.events import subjects
from prometheus_client import REGISTRY

from tests.e2e.runs import back_up
from tests.e2e.test_worker_drain import only, start_worker
from tests.fixtures.factories import create_credential, create_device, unique
from tests.fixtures.infra import Infra
from tests.fixtures.lab import LAB_ENABLE, LAB_PASSWORD
from tests.fixtures.observability import (
    FLEET_FRESHNESS,
    samples,
    scrape,
    series_names,
    used_metric_names,
)
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.e2e

REJECTING = {"netraven_rejected_events_total"}
WITH_DATABASE = {"netraven_db_pool_connections", "netraven_db_pool_size"}
WITH_CONSUMERS = {
    "netraven_consumer_pending_messages",
    "netraven_consumer_ack_pending_messages",
    "netraven_consumer_redelivered_messages",
}
FAMILIES = {
    "api": REJECTING | WITH_DATABASE | WITH_CONSUMERS,
    # the scheduler consumes nothing, so it has nothing to reject
    "scheduler": WITH_DATABASE,
    "worker": REJECTING
    | WITH_DATABASE
    | WITH_CONSUMERS
    | {"netraven_backups_total", "netraven_backup_session_seconds_bucket"},
    "log-collector": REJECTING | WITH_DATABASE | WITH_CONSUMERS,
    "gitkeeper": REJECTING
    | WITH_DATABASE
    | WITH_CONSUMERS
    | {
        "netraven_git_commits_total",
        "netraven_git_commit_batch_size_bucket",
        "netraven_mirror_push_failures_total",
        "netraven_mirror_failing",
    },
    "notifier": REJECTING | WITH_DATABASE | WITH_CONSUMERS | {"netraven_notifications_total"},
}
LIVE_GAUGES_WAIT_SECONDS = 15  # they are read every 5 s


async def scraped(stack: Stack) -> dict[str, str]:
    async with httpx.AsyncClient(timeout=10) as client:
        pages = await asyncio.gather(*(scrape(client, url) for url in stack.metrics_urls.values()))
    return dict(zip(stack.metrics_urls, pages, strict=True))


async def scraped_until(stack: Stack, served: Callable[[dict[str, str]], bool]) -> dict[str, str]:
    deadline = time.monotonic() + LIVE_GAUGES_WAIT_SECONDS
    while not served(pages := await scraped(stack)) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    return pages


def served_by(pages: dict[str, str]) -> set[str]:
    return {name for page in pages.values() for name in series_names(page)}


class TestEveryServiceServesMetrics:
    async def test_each_serves_its_families(self, stack: Stack) -> None:
        pages = await scraped_until(
            stack,
            lambda pages: all(
                FAMILIES[service] <= series_names(page) for service, page in pages.items()
            ),
        )
        for service, page in pages.items():
            assert FAMILIES[service] <= series_names(page), (service, page)

    async def test_each_reports_its_own_durables(self, stack: Stack) -> None:
        def durables(pages: dict[str, str], service: str) -> set[str]:
            pending = samples(pages[service], "netraven_consumer_pending_messages")
            return {dict(labels)["consumer"] for labels in pending}

        def owned(service: str) -> set[str]:
            return {durable.name for durable in IDENTITIES[service].durables}

        pages = await scraped_until(
            stack, lambda pages: all(durables(pages, s) == owned(s) for s in pages if owned(s))
        )
        for service in pages:
            assert durables(pages, service) == owned(service), service

    async def test_the_pools_are_counted(self, stack: Stack) -> None:
        pages = await scraped_until(
            stack, lambda pages: samples(pages["api"], "netraven_db_pool_size") == {(): 10.0}
        )
        assert samples(pages["api"], "netraven_db_pool_size") == {(): 10.0}
        for service, page in pages.items():
            assert samples(page, "netraven_db_pool_size")[()] > 0, service

    async def test_the_api_s_public_port_does_not_serve_them(self, stack: Stack) -> None:
        assert stack.metrics_urls["api"] != f"{stack.api_url}/metrics"
        async with httpx.AsyncClient(timeout=10) as client:
            public = await client.get(f"{stack.api_url}/metrics")
        assert "netraven_" not in public.text
        assert not public.headers.get("content-type", "").startswith("text/plain; version=")


class TestRulesAndDashboardNames:
    async def test_they_use_only_series_the_services_serve(self, stack: Stack) -> None:
        served = served_by(await scraped(stack)) | {"up"}
        unknown = used_metric_names() - served - FLEET_FRESHNESS
        assert not unknown, f"used by the rules or the dashboard, served by none: {unknown}"

    async def test_the_api_serves_the_fleet_freshness_they_use(self, stack: Stack) -> None:
        pages = await scraped_until(
            stack, lambda pages: FLEET_FRESHNESS <= series_names(pages["api"])
        )
        assert FLEET_FRESHNESS & used_metric_names() <= series_names(pages["api"])


@pytest.fixture(scope="module")
async def lab_device(stack_admin: AsyncClient, lab: Lab) -> dict:
    tag = unique("metrics")
    await create_credential(stack_admin, tag, LAB_PASSWORD, LAB_ENABLE)
    profile = lab.profiles[1]
    return await create_device(stack_admin, profile.port, tag, hostname=unique("metrics"))


class TestABackupIsCounted:
    async def test_the_worker_and_gitkeeper_count_it(
        self, stack: Stack, stack_admin: AsyncClient, lab_device: dict
    ) -> None:
        succeeded = (("outcome", "succeeded"), ("platform", "cisco_ios"))
        before = await scraped(stack)
        run = await back_up(stack_admin, lab_device["id"])
        assert run["status"] == "succeeded", run
        after = await scraped(stack)

        def delta(service: str, name: str, labels: tuple = ()) -> float:
            return samples(after[service], name).get(labels, 0) - samples(
                before[service], name
            ).get(labels, 0)

        assert delta("worker", "netraven_backups_total", succeeded) == 1
        sessions = (("platform", "cisco_ios"),)
        assert delta("worker", "netraven_backup_session_seconds_count", sessions) == 1
        # a device seen for the first time: its config is a new file, in a commit of its own batch
        deadline = time.monotonic() + 10
        while delta("gitkeeper", "netraven_git_commits_total") < 1:
            assert time.monotonic() < deadline, after["gitkeeper"]
            await asyncio.sleep(0.5)
            after = await scraped(stack)
        assert delta("gitkeeper", "netraven_git_commit_batch_size_count") >= 1


def unique_suffix() -> str:
    """A payload no earlier test sent: the same one would be recorded once (deduplicated)."""
    return uuid4().hex[:8]


class TestARejectionIsCounted:
    async def test_by_the_service_that_refused_it(self, stack: Stack, infra: Infra) -> None:
        """An integrator's malformed request: the api refuses and records it. The session's
        in-process api (tests/fixtures/api.py), when a test started it, is a second replica on the
        same durable and may be the one that takes the message, so the count is both replicas'."""
        labels = (("subject", subjects.JOB_REQUESTED),)

        async def counted_by_the_api_replicas() -> float:
            stack_api = samples((await scraped(stack))["api"], "netraven_rejected_events_total")
            in_process = REGISTRY.get_sample_value(
                "netraven_rejected_events_total", {"subject": subjects.JOB_REQUESTED}
            )
            return stack_api.get(labels, 0) + (in_process or 0)

        before = await counted_by_the_api_replicas()
        connection = await nats.connect(**infra.nats_options("integrator"))
        try:
            await connection.jetstream().publish(
                subjects.JOB_REQUESTED,
                json.dumps({"device_id": f"not-a-uuid-{unique_suffix()}"}).encode(),
            )
        finally:
            await connection.close()
        deadline = time.monotonic() + 30
        while (after := await counted_by_the_api_replicas()) < before + 1:
            assert time.monotonic() < deadline, f"still {after} rejections, {before} before"
            await asyncio.sleep(0.5)
        assert after == before + 1


class TestAWorkerOfSeveralProcesses:
    async def test_whichever_process_answers_reports_the_sum_of_all(
        self, stack: Stack, stack_admin: AsyncClient, lab_device: dict
    ) -> None:
        """Two processes of 2 pooled connections each (NETRAVEN_CONCURRENCY 4: half as many
        connections as sessions), one backup between them: every answer, from either process,
        says 4 connections and 1 backup."""
        supervisor = start_worker(
            stack, "worker-metrics", NETRAVEN_WORKER_PROCESSES="2", NETRAVEN_CONCURRENCY="4"
        )
        assert supervisor.health_url is not None
        url = supervisor.health_url.removesuffix("/health") + "/metrics"
        succeeded = (("outcome", "succeeded"), ("platform", "cisco_ios"))
        try:
            with only(stack, supervisor):
                run = await back_up(stack_admin, lab_device["id"])
                assert run["status"] == "succeeded", run
                deadline = time.monotonic() + LIVE_GAUGES_WAIT_SECONDS
                while samples(await scrape_once(url), "netraven_db_pool_size") != {(): 4.0}:
                    assert time.monotonic() < deadline
                    await asyncio.sleep(0.5)
                answers = [await scrape_once(url) for _ in range(6)]
        finally:
            supervisor.process.terminate()
            supervisor.process.wait(timeout=40)
        for answer in answers:
            assert samples(answer, "netraven_db_pool_size") == {(): 4.0}
            assert samples(answer, "netraven_backups_total")[succeeded] == 1


async def scrape_once(url: str) -> str:
    """On a connection of its own: the worker's processes take turns accepting them."""
    async with httpx.AsyncClient(timeout=10) as client:
        return await scrape(client, url)
