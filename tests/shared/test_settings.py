import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from netraven_api.config import ApiSettings
from netraven_shared.credential_keys import LEGACY_KEY_ID
from netraven_shared.settings import DEVELOPMENT_PLACEHOLDER
from netraven_worker.config import WorkerSettings
from pydantic import ValidationError

REAL_SECRET = "a-real-secret-that-is-long-enough-0123456789"
RING = f"k2:{Fernet.generate_key().decode()},k1:{Fernet.generate_key().decode()}"
BUS = {"nats_nkey": "/run/secrets/api.nk", "nats_ca": "/run/secrets/ca.pem"}


@pytest.fixture(autouse=True)
def no_netraven_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test passes counts, whatever the machine's environment sets (NETRAVEN_MODE
    too)."""
    for name in [key for key in os.environ if key.startswith("NETRAVEN_")]:
        monkeypatch.delenv(name)


class TestProductionIsTheDefault:
    def test_a_service_told_nothing_refuses_the_placeholders_and_a_missing_key(self) -> None:
        with pytest.raises(ValidationError) as refused:
            ApiSettings()
        message = str(refused.value)
        assert "NETRAVEN_CREDENTIAL_KEYS" in message and "NETRAVEN_JWT_SECRET" in message
        assert "NETRAVEN_NATS_NKEY, NETRAVEN_NATS_CA" in message

    def test_the_worker_told_nothing_refuses_a_placeholder_key_from_the_environment(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("NETRAVEN_CREDENTIAL_KEY", DEVELOPMENT_PLACEHOLDER)
        with pytest.raises(ValidationError, match="set NETRAVEN_CREDENTIAL_KEY to a real secret"):
            WorkerSettings()

    def test_development_must_be_asked_for(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("NETRAVEN_MODE", "development")
        assert ApiSettings().mode == "development"

    def test_an_empty_variable_counts_as_unset(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("NETRAVEN_CREDENTIAL_KEY", "")
        settings = ApiSettings(credential_keys=RING, jwt_secret=REAL_SECRET, **BUS)
        assert settings.credential_key is None
        assert settings.credential_ring.ids == ["k2", "k1"]


class TestProductionModeRefusesPlaceholders:
    def test_the_api_refuses_to_start_with_the_development_secrets(self) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_CREDENTIAL_KEY, NETRAVEN_JWT_SECRET"):
            ApiSettings(mode="production", credential_key=DEVELOPMENT_PLACEHOLDER)

    def test_a_short_secret_is_refused_too(self) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_JWT_SECRET"):
            ApiSettings(mode="production", credential_keys=RING, jwt_secret="short")

    def test_real_secrets_are_accepted(self) -> None:
        assert (
            ApiSettings(mode="production", credential_keys=RING, jwt_secret=REAL_SECRET, **BUS).mode
            == "production"
        )

    def test_the_legacy_key_alone_is_still_accepted(self) -> None:
        settings = ApiSettings(
            mode="production", credential_key=REAL_SECRET, jwt_secret=REAL_SECRET, **BUS
        )
        assert settings.credential_ring.ids == [LEGACY_KEY_ID]

    def test_the_worker_needs_a_credential_key_ring(self) -> None:
        with pytest.raises(ValidationError, match="set NETRAVEN_CREDENTIAL_KEYS"):
            WorkerSettings(mode="production", **BUS)

    def test_development_mode_runs_with_the_placeholders(self) -> None:
        settings = ApiSettings(mode="development")
        assert settings.jwt_secret == DEVELOPMENT_PLACEHOLDER
        assert settings.credential_ring.ids == [LEGACY_KEY_ID]


class TestTheKeyRingSettings:
    def test_the_legacy_key_joins_the_ring_last(self) -> None:
        settings = WorkerSettings(
            mode="production", credential_keys=RING, credential_key=REAL_SECRET, **BUS
        )
        assert settings.credential_ring.ids == ["k2", "k1", LEGACY_KEY_ID]
        assert settings.credential_ring.primary_id == "k2"

    def test_the_ring_can_come_from_a_file(self, tmp_path: Path) -> None:
        ring_file = tmp_path / "credential-keys"
        ring_file.write_text("# newest first\n" + RING.replace(",", "\n") + "\n")
        settings = WorkerSettings(mode="production", credential_keys_file=ring_file, **BUS)
        assert settings.credential_ring.ids == ["k2", "k1"]
        assert str(ring_file) in settings.credential_ring.source

    def test_an_unreadable_ring_file_is_named(self, tmp_path: Path) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_CREDENTIAL_KEYS_FILE=.*cannot be read"):
            WorkerSettings(mode="development", credential_keys_file=tmp_path / "missing")

    def test_a_bad_key_stops_the_start_in_any_mode(self) -> None:
        with pytest.raises(ValidationError, match="key k1 is not a Fernet key"):
            WorkerSettings(mode="development", credential_keys="k1:not-a-key")

    def test_inline_and_file_together_are_refused(self, tmp_path: Path) -> None:
        with pytest.raises(ValidationError, match="not both"):
            WorkerSettings(
                mode="development", credential_keys=RING, credential_keys_file=tmp_path / "ring"
            )


class TestProductionModeRefusesAnAnonymousBus:
    def test_a_service_without_its_nkey_and_the_ca_refuses_to_start(self) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_NATS_NKEY, NETRAVEN_NATS_CA"):
            ApiSettings(mode="production", credential_keys=RING, jwt_secret=REAL_SECRET)

    def test_the_ca_alone_is_not_enough(self) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_NATS_NKEY"):
            WorkerSettings(mode="production", credential_keys=RING, nats_ca="/run/secrets/ca.pem")

    def test_development_mode_connects_without_them(self) -> None:
        assert ApiSettings(mode="development").nats_nkey is None


class TestTheBusCluster:
    def test_the_nats_url_may_list_a_cluster_s_servers(self) -> None:
        settings = ApiSettings(
            mode="development", nats_url="tls://a:4222, tls://b:4222,tls://c:4222"
        )
        assert settings.nats_servers == ["tls://a:4222", "tls://b:4222", "tls://c:4222"]

    def test_one_replica_unless_told(self, monkeypatch: pytest.MonkeyPatch) -> None:
        assert WorkerSettings(mode="development").stream_replicas == 1
        monkeypatch.setenv("NETRAVEN_STREAM_REPLICAS", "3")
        assert WorkerSettings(mode="development").stream_replicas == 3

    @pytest.mark.parametrize("replicas", [0, 6])
    def test_replicas_outside_one_to_five_are_refused(self, replicas: int) -> None:
        with pytest.raises(ValidationError, match="stream_replicas"):
            ApiSettings(mode="development", stream_replicas=replicas)
