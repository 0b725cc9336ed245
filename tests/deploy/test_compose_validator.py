"""A compose binary accepts docker-compose.yml with its required variables set, and refuses it
without them."""

import os
import subprocess

import pytest

from tests.deploy.compose_file import COMPOSE, REQUIRED_VARIABLE, ROOT, compose_command


class TestComposeValidator:
    @pytest.fixture
    def compose_config(self, tmp_path):
        command = compose_command()
        if command is None:
            pytest.skip("no compose validator: no `docker compose` nor `docker-compose` on PATH")
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("NETRAVEN_", "COMPOSE_"))
        }

        def run(env_file_text: str) -> subprocess.CompletedProcess:
            env_file = tmp_path / "test.env"
            env_file.write_text(env_file_text)
            return subprocess.run(
                [
                    *command,
                    "--env-file",
                    str(env_file),
                    "-f",
                    str(COMPOSE),
                    "--profile",
                    "lab",
                    "config",
                    "-q",
                ],
                cwd=ROOT,
                env=environment,
                check=False,
                capture_output=True,
                text=True,
                timeout=60,
            )

        return run

    def test_accepts_the_file_with_the_required_variables_set(self, compose_config):
        secrets = dict.fromkeys(REQUIRED_VARIABLE.findall(COMPOSE.read_text()), "s" * 48)
        result = compose_config("".join(f"{key}={value}\n" for key, value in secrets.items()))
        assert result.returncode == 0, result.stderr

    def test_refuses_to_start_without_a_database_password(self, compose_config):
        secrets = dict.fromkeys(REQUIRED_VARIABLE.findall(COMPOSE.read_text()), "s" * 48)
        del secrets["NETRAVEN_DB_PASSWORD_WORKER"]
        result = compose_config("".join(f"{key}={value}\n" for key, value in secrets.items()))
        assert result.returncode != 0
        assert "NETRAVEN_DB_PASSWORD_WORKER" in result.stderr

    def test_refuses_to_start_without_the_secrets(self, compose_config):
        result = compose_config("")
        assert result.returncode != 0
        assert "NETRAVEN_" in result.stderr
