"""The run recorder: events arriving together are one transaction, and an event it cannot record is
isolated and recorded as rejected while the others are recorded."""

import asyncio
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from faststream.nats import NatsBroker
from httpx import AsyncClient
from netraven_api.runs.handlers import recording
from netraven_shared.batch_items import WrittenTogether
from netraven_shared.events import (
    ConfigStored,
    DeviceBackedUp,
    DeviceBackupFailed,
    DeviceBackupStarted,
    subjects,
)
from netraven_shared.messaging import publish_event
from netraven_shared.rejection import Rejected
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.trust import create_device_at, host_key, report_backed_up, report_offered
from tests.fixtures.consumers import rejections_on, wait_until
from tests.fixtures.factories import create_credential, create_device, create_job, unique
from tests.fixtures.infra import Infra


class CountingSessions:
    """The real session factory, counting the sessions (one per transaction) opened."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self.opened = 0

    def __call__(self) -> AsyncSession:
        self.opened += 1
        return self._sessions()


async def queued_run(admin: AsyncClient, devices: int) -> dict:
    tag = unique("batch")
    ids = [(await create_device(admin, 22, tag))["id"] for _ in range(devices)]
    job = await create_job(admin, ids)
    run_id = (await admin.post(f"/api/jobs/{job['id']}/run")).json()["run_id"]
    return (await admin.get(f"/api/runs/{run_id}")).json()


def started(run: dict, result: dict) -> DeviceBackupStarted:
    return DeviceBackupStarted(
        run_id=UUID(run["id"]),
        job_id=UUID(run["job_id"]),
        device_id=UUID(result["device_id"]),
        hostname=result["hostname"],
        worker_id="w1",
        attempt=1,
    )


def stored(run: dict, result: dict) -> ConfigStored:
    return ConfigStored(
        run_id=UUID(run["id"]),
        device_id=UUID(result["device_id"]),
        hostname=result["hostname"],
        commit="a" * 40,
        sha256="b" * 64,
        changed=True,
    )


class TestOneTransactionPerBatch:
    async def test_a_batch_of_events_is_one_transaction_that_finishes_the_run(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        run = await queued_run(admin, devices=12)
        counting = CountingSessions(sessions)
        await recording(counting)([started(run, r) for r in run["results"]])
        await recording(counting)([stored(run, r) for r in run["results"]])
        after = (await admin.get(f"/api/runs/{run['id']}")).json()
        assert (after["status"], after["succeeded"], counting.opened) == ("succeeded", 12, 2)

    async def test_an_event_naming_a_run_the_database_lacks_creates_nothing(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        known = await queued_run(admin, devices=2)
        forged_run = {"id": str(uuid4()), "job_id": known["job_id"]}
        with pytest.raises(Rejected, match="is not in the database"):
            await recording(sessions)([started(forged_run, r) for r in known["results"]])
        assert (await admin.get(f"/api/runs/{forged_run['id']}")).status_code == 404


class TestRecordersShareTheirTransactions:
    async def test_batches_waiting_while_one_is_written_are_written_together(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        run = await queued_run(admin, devices=3)
        counting = CountingSessions(sessions)
        together = WrittenTogether(recording(counting))
        first, second, third = run["results"]
        await asyncio.gather(
            together.write([started(run, first)]),
            together.write([started(run, second), stored(run, first)]),
            together.write([started(run, third)]),
        )
        after = (await admin.get(f"/api/runs/{run['id']}")).json()
        statuses = sorted(result["status"] for result in after["results"])
        assert (statuses, after["succeeded"], counting.opened) == (
            ["running", "running", "succeeded"],
            1,
            2,
        )

    async def test_a_batch_that_cannot_be_written_fails_alone(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        run = await queued_run(admin, devices=2)
        forged_run = {"id": str(uuid4()), "job_id": run["job_id"]}
        together = WrittenTogether(recording(sessions))
        first, second = run["results"]
        outcomes = await asyncio.gather(
            together.write([started(run, first)]),
            together.write([stored(forged_run, first)]),
            together.write([stored(run, second)]),
            return_exceptions=True,
        )
        assert outcomes[0] is None and outcomes[2] is None
        assert isinstance(outcomes[1], Rejected)
        after = (await admin.get(f"/api/runs/{run['id']}")).json()
        assert sorted(result["status"] for result in after["results"]) == ["running", "succeeded"]


class TestOneBadEventOnTheBus:
    async def test_is_rejected_alone_and_the_others_are_recorded(
        self, admin: AsyncClient, broker: NatsBroker, infra: Infra
    ) -> None:
        run = await queued_run(admin, devices=3)
        ghost = {
            "device_id": str(uuid4()),
            "hostname": "not-in-the-inventory",
        }  # no such device: the result row cannot exist
        async with rejections_on(infra, subjects.CONFIG_STORED) as rejected:
            for result in [*run["results"][:2], ghost, run["results"][2]]:
                await publish_event(broker, stored(run, result))

            async def recorded() -> bool:
                after = (await admin.get(f"/api/runs/{run['id']}")).json()
                return after["succeeded"] == 3 and any(
                    ghost["device_id"] in r.reason or "foreign key" in r.reason for r in rejected
                )

            await wait_until(recorded)
        assert (await admin.get(f"/api/runs/{run['id']}")).json()["status"] == "succeeded"
        assert [r.service for r in rejected] == ["api"]


async def host_key_of(admin: AsyncClient, device: dict) -> dict:
    return (await admin.get(f"/api/devices/{device['id']}")).json()["host_key"]


class TestDeviceTrustFromBackups:
    async def test_the_first_key_a_backup_reports_is_pinned_on_first_use(
        self, admin: AsyncClient, sessions
    ) -> None:
        device, key = await create_device_at(admin), host_key()
        await report_backed_up(sessions, device, key, occurred_at="2026-12-05T10:00:02Z")
        shown = await host_key_of(admin, device)
        assert (shown["status"], shown["fingerprint"], shown["pinned_by"]) == (
            "pinned",
            key.fingerprint,
            "first use",
        )
        assert datetime.fromisoformat(shown["pinned_at"]) == datetime(
            2026, 12, 5, 10, 0, 2, tzinfo=UTC
        )

    async def test_a_different_pinned_key_is_not_overwritten(
        self, admin: AsyncClient, sessions
    ) -> None:
        device, chosen_by_admin = await create_device_at(admin), host_key()
        await admin.put(
            f"/api/devices/{device['id']}/host-key", json={"public_key": chosen_by_admin.openssh()}
        )
        await report_backed_up(sessions, device, host_key())
        shown = await host_key_of(admin, device)
        assert (shown["status"], shown["fingerprint"], shown["pinned_by"]) == (
            "pinned",
            chosen_by_admin.fingerprint,
            "admin",
        )

    async def test_the_credential_that_logged_in_is_bound(
        self, admin: AsyncClient, sessions
    ) -> None:
        tag = unique("bind")
        device = await create_device_at(admin, tags=[tag])
        first, second = (
            await create_credential(admin, tag, "pw"),
            await create_credential(admin, tag, "pw"),
        )
        await report_backed_up(sessions, device, None, credential_id=first["id"])
        await report_backed_up(sessions, device, None, credential_id=second["id"])
        bound = (await admin.get(f"/api/devices/{device['id']}")).json()["bound_credential"]
        assert bound == {"id": second["id"], "name": second["name"]}

    async def test_a_credential_the_device_may_not_use_is_not_bound(
        self, admin: AsyncClient, sessions
    ) -> None:
        device = await create_device_at(admin, tags=[unique("bind")])
        foreign = await create_credential(admin, unique("other"), "pw")
        await report_backed_up(sessions, device, None, credential_id=foreign["id"])
        assert (await admin.get(f"/api/devices/{device['id']}")).json()["bound_credential"] is None


class TestDeviceTrustFromFailures:
    async def test_another_key_than_the_pin_is_kept_as_changed(
        self, admin: AsyncClient, sessions
    ) -> None:
        device, pinned, offered = await create_device_at(admin), host_key(), host_key()
        await report_backed_up(sessions, device, pinned)
        await report_offered(sessions, device, offered)
        shown = await host_key_of(admin, device)
        assert (shown["status"], shown["fingerprint"], shown["offered"]["fingerprint"]) == (
            "changed",
            pinned.fingerprint,
            offered.fingerprint,
        )
        assert (
            shown["offered"]["key_type"] == "ssh-ed25519"
            and shown["offered"]["seen_at"] is not None
        )

    async def test_a_key_with_nothing_pinned_is_untrusted(
        self, admin: AsyncClient, sessions
    ) -> None:
        device, offered = await create_device_at(admin), host_key()
        await report_offered(sessions, device, offered)
        shown = await host_key_of(admin, device)
        assert (shown["status"], shown["fingerprint"], shown["offered"]["fingerprint"]) == (
            "untrusted",
            None,
            offered.fingerprint,
        )

    async def test_an_offer_seen_before_the_admin_pinned_is_ignored(
        self, admin: AsyncClient, sessions
    ) -> None:
        device, old_offer, loaded = await create_device_at(admin), host_key(), host_key()
        await admin.put(
            f"/api/devices/{device['id']}/host-key", json={"public_key": loaded.openssh()}
        )
        await report_offered(sessions, device, old_offer, occurred_at="2020-01-01T00:00:00Z")
        shown = await host_key_of(admin, device)
        assert (shown["status"], shown["fingerprint"], shown["offered"]) == (
            "pinned",
            loaded.fingerprint,
            None,
        )


class TestResolvedAddresses:
    async def test_the_address_a_name_resolved_to_is_shown_in_the_run(
        self, admin: AsyncClient, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        run = await queued_run(admin, devices=2)
        collected, failed = run["results"]
        ids = {"run_id": UUID(run["id"]), "job_id": UUID(run["job_id"])}
        await recording(sessions)(
            [
                DeviceBackedUp(
                    **ids,
                    device_id=UUID(collected["device_id"]),
                    hostname=collected["hostname"],
                    device_type="cisco_ios",
                    config_text="hostname x\n",
                    sha256="c" * 64,
                    size_bytes=11,
                    collected_at=datetime.now(UTC),
                    resolved_address="192.0.2.10",
                ),
                stored(run, collected),
                DeviceBackupFailed(
                    **ids,
                    device_id=UUID(failed["device_id"]),
                    hostname=failed["hostname"],
                    error="unreachable after 3 attempts: connection refused",
                    attempts=3,
                    resolved_address="2001:db8::7",
                ),
            ]
        )
        after = (await admin.get(f"/api/runs/{run['id']}")).json()
        addresses = {r["device_id"]: r["resolved_address"] for r in after["results"]}
        assert addresses == {
            collected["device_id"]: "192.0.2.10",
            failed["device_id"]: "2001:db8::7",
        }
        assert {r["resolved_address"] for r in run["results"]} == {None}
