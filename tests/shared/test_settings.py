import os

import pytest
from pydantic import ValidationError

from netraven_api.config import ApiSettings
from netraven_worker.config import WorkerSettings

REAL_SECRET = "a-real-secret-that-is-long-enough-0123456789"
BUS = {"nats_nkey": "/run/secrets/api.nk", "nats_ca": "/run/secrets/ca.pem"}


@pytest.fixture(autouse=True)
def no_netraven_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test passes counts, whatever the machine's environment sets."""
    for name in [key for key in os.environ if key.startswith("NETRAVEN_")]:
        monkeypatch.delenv(name)


class TestProductionModeRefusesPlaceholders:
    def test_the_api_refuses_to_start_with_the_development_secrets(self) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_CREDENTIAL_KEY, NETRAVEN_JWT_SECRET"):
            ApiSettings(mode="production")

    def test_a_short_secret_is_refused_too(self) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_JWT_SECRET"):
            ApiSettings(mode="production", credential_key=REAL_SECRET, jwt_secret="short")

    def test_real_secrets_are_accepted(self) -> None:
        assert ApiSettings(mode="production", credential_key=REAL_SECRET, jwt_secret=REAL_SECRET, **BUS).mode == "production"

    def test_the_worker_needs_a_real_credential_key(self) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_CREDENTIAL_KEY"):
            WorkerSettings(mode="production")

    def test_development_mode_runs_with_the_placeholders(self) -> None:
        assert ApiSettings(mode="development").jwt_secret


class TestProductionModeRefusesAnAnonymousBus:
    def test_a_service_without_its_nkey_and_the_ca_refuses_to_start(self) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_NATS_NKEY, NETRAVEN_NATS_CA"):
            ApiSettings(mode="production", credential_key=REAL_SECRET, jwt_secret=REAL_SECRET)

    def test_the_ca_alone_is_not_enough(self) -> None:
        with pytest.raises(ValidationError, match="NETRAVEN_NATS_NKEY"):
            WorkerSettings(mode="production", credential_key=REAL_SECRET, nats_ca="/run/secrets/ca.pem")

    def test_development_mode_connects_without_them(self) -> None:
        assert ApiSettings(mode="development").nats_nkey is None
