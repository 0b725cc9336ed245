"""`make run` keeps one generated PostgreSQL password per service, private to its owner."""

import stat

from netraven_devstack.database_logins import load_or_create_passwords
from netraven_shared.db.service_grants import ROLES


class TestPasswords:
    def test_generated_once_per_service_and_kept_private(self, tmp_path):
        path = tmp_path / "database-logins.env"
        first = load_or_create_passwords(path)
        assert set(first) == set(ROLES)
        assert len(set(first.values())) == len(ROLES)
        assert all(len(password) >= 32 for password in first.values())
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert load_or_create_passwords(path) == first

    def test_a_missing_password_is_added_and_the_others_kept(self, tmp_path):
        path = tmp_path / "database-logins.env"
        first = load_or_create_passwords(path)
        path.write_text(
            "".join(line + "\n" for line in path.read_text().splitlines() if "WORKER" not in line)
        )
        second = load_or_create_passwords(path)
        assert second["worker"] and second["worker"] != first["worker"]
        assert {service: second[service] for service in ROLES if service != "worker"} == {
            s: first[s] for s in ROLES if s != "worker"
        }
