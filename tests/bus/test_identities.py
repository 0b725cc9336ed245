"""Each identity can do what its service needs on the real server (its refusals are in
test_refusals.py)."""

import contextlib
import ssl
import uuid
from pathlib import Path

import nats
import pytest
from nats.js.api import ConsumerConfig
from nats.js.errors import ObjectNotFoundError
from netraven_devstack.bus_credentials import BusCredentials
from netraven_shared.bus_identities import IDENTITIES
from netraven_shared.bus_streams import (
    CONFIG_BUCKET,
    MIRRORS_BUCKET,
    NOTIFIER_BUCKET,
    REPLY_BUCKET,
    SERVICES_BUCKET,
    WORKERS_BUCKET,
    stream_of,
)
from netraven_shared.events import subjects

from tests.bus.identity_clients import requires_credentials
from tests.fixtures.infra import Infra


class TestConnecting:
    async def test_an_anonymous_connection_is_refused(self, infra: Infra) -> None:
        credentials = requires_credentials(infra)
        with pytest.raises(Exception):  # noqa: B017  (refused, however nats-py reports it)
            await nats.connect(
                infra.nats_url,
                tls=ssl.create_default_context(cafile=str(credentials.ca)),
                allow_reconnect=False,
                max_reconnect_attempts=0,
                connect_timeout=3,
            )

    async def test_a_server_certificate_from_another_ca_is_refused(
        self,
        infra: Infra,
        tmp_path: Path,
    ) -> None:
        requires_credentials(infra)
        stranger = BusCredentials(tmp_path / "other").ensure()
        with pytest.raises(Exception):  # noqa: B017  (refused, however nats-py reports it)
            await nats.connect(
                infra.nats_url,
                tls=ssl.create_default_context(cafile=str(stranger.ca)),
                nkeys_seed=str(infra.credentials.seed_path("integrator")),
                allow_reconnect=False,
                max_reconnect_attempts=0,
                connect_timeout=3,
            )


class TestWhatEachServiceNeeds:
    async def test_each_identity_pulls_from_its_durables(self, infra: Infra, as_identity) -> None:
        requires_credentials(infra)
        for identity in IDENTITIES.values():
            for durable in identity.durables:
                if durable.subject == subjects.JOB_REQUESTED and identity.name == "api":
                    # transitional: the worker's "workers" consumer holds the work queue's subject
                    continue
                client, violations = await as_identity(identity.name)
                js = client.jetstream()
                subscription = await js.pull_subscribe(
                    durable.subject,
                    durable=durable.name,
                    stream=durable.stream,
                    config=ConsumerConfig(ack_wait=5),
                )
                with contextlib.suppress(
                    nats.errors.TimeoutError
                ):  # other tests may have left messages: no ack, they stay
                    await subscription.fetch(1, timeout=0.3)
                assert violations.seen == [], (identity.name, durable.name, violations.seen)

    async def test_each_identity_publishes_its_events(self, infra: Infra, as_identity) -> None:
        requires_credentials(infra)
        for identity in IDENTITIES.values():
            client, violations = await as_identity(identity.name)
            for subject in identity.publishes:
                if subject == subjects.JOB_REQUESTED and identity.name != "integrator":
                    continue
                ack = await client.jetstream().publish(
                    subject, b"{}", stream=stream_of(subject), timeout=3
                )
                assert ack.stream == stream_of(subject)
            assert violations.seen == [], (identity.name, violations.seen)

    async def test_the_worker_puts_a_config_object_and_gitkeeper_reads_it(
        self,
        infra: Infra,
        as_identity,
    ) -> None:
        requires_credentials(infra)
        worker, worker_violations = await as_identity("worker")
        name = uuid.uuid4().hex
        store = await worker.jetstream().object_store(CONFIG_BUCKET)
        await store.put(name, b"hostname core-sw-01\n" * 20_000)
        gitkeeper, gitkeeper_violations = await as_identity("gitkeeper")
        read = await (await gitkeeper.jetstream().object_store(CONFIG_BUCKET)).get(name)
        assert read.data.startswith(b"hostname core-sw-01")
        assert worker_violations.seen == gitkeeper_violations.seen == []

    async def test_gitkeeper_deletes_a_config_object(self, infra: Infra, as_identity) -> None:
        requires_credentials(infra)
        worker, _ = await as_identity("worker")
        name = uuid.uuid4().hex
        await (await worker.jetstream().object_store(CONFIG_BUCKET)).put(name, b"old config")
        gitkeeper, violations = await as_identity("gitkeeper")
        store = await gitkeeper.jetstream().object_store(CONFIG_BUCKET)
        await store.delete(name)
        with pytest.raises(ObjectNotFoundError):
            await store.get(name)
        assert violations.seen == []

    async def test_gitkeeper_puts_a_reply_the_api_reads(self, infra: Infra, as_identity) -> None:
        requires_credentials(infra)
        gitkeeper, gitkeeper_violations = await as_identity("gitkeeper")
        name = uuid.uuid4().hex
        await (await gitkeeper.jetstream().object_store(REPLY_BUCKET)).put(name, b"x" * 300_000)
        api, api_violations = await as_identity("api")
        assert (
            len((await (await api.jetstream().object_store(REPLY_BUCKET)).get(name)).data)
            == 300_000
        )
        assert gitkeeper_violations.seen == api_violations.seen == []

    async def test_every_service_writes_its_own_heartbeat_key(
        self,
        infra: Infra,
        as_identity,
    ) -> None:
        requires_credentials(infra)
        for name in ("api", "scheduler", "worker", "gitkeeper", "log-collector", "notifier"):
            client, violations = await as_identity(name)
            bucket = await client.jetstream().key_value(SERVICES_BUCKET) if name != "api" else None
            if bucket is None:
                from netraven_shared.key_value import open_bucket

                bucket = await open_bucket(client.jetstream(), SERVICES_BUCKET, 30)
            await bucket.put(f"{name}.{uuid.uuid4().hex[:6]}", b"alive")
            assert violations.seen == [], (name, violations.seen)

    async def test_the_notifier_keeps_its_throttle_state_in_its_bucket(
        self, infra: Infra, as_identity
    ) -> None:
        requires_credentials(infra)
        from netraven_shared.key_value import open_bucket

        client, violations = await as_identity("notifier")
        bucket = await open_bucket(client.jetstream(), NOTIFIER_BUCKET)
        key = f"failing.{uuid.uuid4()}"
        revision = await bucket.create(key, b"{}")
        await bucket.update(key, b"{}", last=revision)
        await bucket.delete(key)
        assert violations.seen == []

    async def test_the_api_asks_the_notifier_to_send_a_test(
        self, infra: Infra, as_identity
    ) -> None:
        requires_credentials(infra)
        notifier, notifier_violations = await as_identity("notifier")
        api, api_violations = await as_identity("api")

        async def answer(message) -> None:
            await message.respond(b"{}")

        subscription = await notifier.subscribe(
            subjects.SEND_TEST_NOTIFICATION, queue="notifier", cb=answer
        )
        await notifier.flush()
        reply = await api.request(subjects.SEND_TEST_NOTIFICATION, b"{}", timeout=10)
        await subscription.unsubscribe()
        assert reply.data == b"{}"
        assert notifier_violations.seen == api_violations.seen == []

    async def test_the_api_lists_the_worker_heartbeats(self, infra: Infra, as_identity) -> None:
        requires_credentials(infra)
        from netraven_shared.key_value import existing_bucket, open_bucket

        worker, worker_violations = await as_identity("worker")
        await (await open_bucket(worker.jetstream(), WORKERS_BUCKET, 30)).put("w-1", b"{}")
        api, api_violations = await as_identity("api")
        bucket = await existing_bucket(api.jetstream(), WORKERS_BUCKET)
        assert "w-1" in await bucket.keys()
        assert (await bucket.get("w-1")).value == b"{}"
        assert worker_violations.seen == api_violations.seen == []

    async def test_gitkeeper_writes_mirror_status_and_events_the_api_reads_it(
        self, infra: Infra, as_identity
    ) -> None:
        requires_credentials(infra)
        from netraven_shared.key_value import existing_bucket, open_bucket

        gitkeeper, gitkeeper_violations = await as_identity("gitkeeper")
        await (await open_bucket(gitkeeper.jetstream(), MIRRORS_BUCKET)).put("github", b"{}")
        for subject in (subjects.MIRROR_PUSH_FAILED, subjects.MIRROR_PUSH_RECOVERED):
            await gitkeeper.jetstream().publish(subject, b"{}")
        api, api_violations = await as_identity("api")
        bucket = await existing_bucket(api.jetstream(), MIRRORS_BUCKET)
        assert (await bucket.get("github")).value == b"{}"
        assert gitkeeper_violations.seen == api_violations.seen == []

    async def test_one_api_process_hears_another_announce_run_progress(
        self,
        infra: Infra,
        as_identity,
    ) -> None:
        requires_credentials(infra)
        hearing, hearing_violations = await as_identity("api")
        announcing, announcing_violations = await as_identity("api")
        subscription = await hearing.subscribe(subjects.RUN_PROGRESSED)
        await hearing.flush()
        await announcing.publish(subjects.RUN_PROGRESSED, b"{}")
        assert (await subscription.next_msg(timeout=3)).data == b"{}"
        assert hearing_violations.seen == announcing_violations.seen == []
