"""Each identity is refused what it must not do on the real server: publishing others' events,
reading others' stores and replies, deleting streams."""

import uuid

import pytest
from netraven_shared.bus_identities import IDENTITIES
from netraven_shared.bus_streams import (
    CONFIG_BUCKET,
    MIRRORS_BUCKET,
    NOTIFIER_BUCKET,
    stream_of,
)
from netraven_shared.events import subjects

from tests.bus.identity_clients import refused, requires_credentials
from tests.fixtures.infra import Infra


class TestRefused:
    @pytest.mark.parametrize("identity", [name for name in IDENTITIES if name != "api"])
    async def test_only_the_api_announces_run_progress(
        self,
        infra: Infra,
        as_identity,
        identity: str,
    ) -> None:
        requires_credentials(infra)
        client, violations = await as_identity(identity)
        assert await refused(violations, lambda: client.publish(subjects.RUN_PROGRESSED, b"{}"))

    async def test_the_integrator_may_not_publish_a_backup(self, infra: Infra, as_identity) -> None:
        requires_credentials(infra)
        client, violations = await as_identity("integrator")
        assert await refused(violations, lambda: client.publish(subjects.BACKUP_SUCCEEDED, b"{}"))

    async def test_the_worker_may_not_publish_config_stored(
        self,
        infra: Infra,
        as_identity,
    ) -> None:
        requires_credentials(infra)
        client, violations = await as_identity("worker")
        assert await refused(violations, lambda: client.publish(subjects.CONFIG_STORED, b"{}"))

    @pytest.mark.parametrize(
        "identity", ["api", "worker", "scheduler", "log-collector", "notifier", "integrator"]
    )
    async def test_only_gitkeeper_reads_the_config_store(
        self,
        infra: Infra,
        as_identity,
        identity: str,
    ) -> None:
        requires_credentials(infra)
        writer, _ = await as_identity("worker")
        name = uuid.uuid4().hex
        await (await writer.jetstream().object_store(CONFIG_BUCKET)).put(name, b"secret config")
        client, violations = await as_identity(identity)

        async def read() -> None:
            store = await client.jetstream().object_store(CONFIG_BUCKET)
            await store.get(name)

        assert await refused(violations, read)

    @pytest.mark.parametrize("identity", ["worker", "gitkeeper", "integrator"])
    async def test_only_the_notifier_writes_its_throttle_state(
        self, infra: Infra, as_identity, identity: str
    ) -> None:
        requires_credentials(infra)
        from netraven_shared.key_value import open_bucket

        owner, _ = await as_identity("notifier")
        await open_bucket(owner.jetstream(), NOTIFIER_BUCKET)
        client, violations = await as_identity(identity)
        assert await refused(
            violations, lambda: client.publish(f"$KV.{NOTIFIER_BUCKET}.failing.x", b"{}")
        )

    async def test_the_notifier_may_not_publish_config_changes(
        self, infra: Infra, as_identity
    ) -> None:
        requires_credentials(infra)
        client, violations = await as_identity("notifier")
        assert await refused(violations, lambda: client.publish(subjects.CONFIG_CHANGED, b"{}"))

    @pytest.mark.parametrize("identity", [*IDENTITIES])
    async def test_nobody_deletes_a_stream(self, infra: Infra, as_identity, identity: str) -> None:
        requires_credentials(infra)
        client, violations = await as_identity(identity)
        assert await refused(
            violations, lambda: client.jetstream().delete_stream(stream_of(subjects.LOG_EMITTED))
        )

    @pytest.mark.parametrize("identity", ["api", "worker", "scheduler", "integrator"])
    async def test_only_gitkeeper_writes_mirror_status(
        self, infra: Infra, as_identity, identity: str
    ) -> None:
        requires_credentials(infra)
        from netraven_shared.key_value import open_bucket

        gitkeeper, _ = await as_identity("gitkeeper")
        await open_bucket(gitkeeper.jetstream(), MIRRORS_BUCKET)
        client, violations = await as_identity(identity)

        async def write() -> None:
            await (await client.jetstream().key_value(MIRRORS_BUCKET)).put("github", b"{}")

        assert await refused(violations, write)

    @pytest.mark.parametrize("identity", ["api", "worker", "scheduler", "log-collector"])
    async def test_only_gitkeeper_announces_mirror_pushes(
        self, infra: Infra, as_identity, identity: str
    ) -> None:
        requires_credentials(infra)
        client, violations = await as_identity(identity)
        assert await refused(
            violations, lambda: client.jetstream().publish(subjects.MIRROR_PUSH_FAILED, b"{}")
        )

    @pytest.mark.parametrize("subject", [subjects.LOG_EMITTED, subjects.LOG_LINES_EMITTED])
    async def test_the_integrator_may_not_read_logs(
        self, infra: Infra, as_identity, subject: str
    ) -> None:
        requires_credentials(infra)
        client, violations = await as_identity("integrator")
        assert await refused(violations, lambda: client.subscribe(subject))

    async def test_no_identity_reads_another_identitys_replies(
        self,
        infra: Infra,
        as_identity,
    ) -> None:
        requires_credentials(infra)
        client, violations = await as_identity("integrator")
        assert await refused(violations, lambda: client.subscribe("_INBOX_api.>"))
