"""The compose file the deploy tests read, and what they share about it."""

import re
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
