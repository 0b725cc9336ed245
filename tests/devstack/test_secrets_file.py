import stat

from netraven_devstack.secrets_file import load_or_create_secrets
from netraven_shared.credential_keys import KeyRing


class TestSecretsFile:
    def test_a_new_file_holds_a_ring_with_a_real_key_readable_only_by_its_owner(
        self, tmp_path
    ) -> None:
        path = tmp_path / "secrets.env"
        values = load_or_create_secrets(path)
        assert KeyRing.parse(values["NETRAVEN_CREDENTIAL_KEYS"], "secrets.env").ids == ["k1"]
        assert len(values["NETRAVEN_JWT_SECRET"]) >= 32
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    def test_the_secrets_stay_the_same_across_restarts(self, tmp_path) -> None:
        path = tmp_path / "secrets.env"
        assert load_or_create_secrets(path) == load_or_create_secrets(path)

    def test_a_file_from_before_the_ring_keeps_its_key_and_gains_a_ring(self, tmp_path) -> None:
        path = tmp_path / "secrets.env"
        path.write_text(
            "NETRAVEN_CREDENTIAL_KEY=an-older-key-0123456789abcdefghijklmnop\nNETRAVEN_JWT_SECRET=jwt-0123456789abcdefghijklmnopqrstuv\n"
        )
        values = load_or_create_secrets(path)
        assert values["NETRAVEN_CREDENTIAL_KEY"] == "an-older-key-0123456789abcdefghijklmnop"
        assert values["NETRAVEN_JWT_SECRET"] == "jwt-0123456789abcdefghijklmnopqrstuv"
        assert KeyRing.parse(values["NETRAVEN_CREDENTIAL_KEYS"], "secrets.env").primary_id == "k1"
        assert load_or_create_secrets(path) == values
