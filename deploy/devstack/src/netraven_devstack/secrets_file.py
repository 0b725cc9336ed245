"""The development stack's own secrets, generated once and kept (mode 0600) so credentials stay
decryptable and tokens valid across restarts.

A file from before the key ring holds NETRAVEN_CREDENTIAL_KEY only: it gains a ring and keeps that
key, which the services then use as the ring's "legacy" key, so its credentials still decrypt."""

import secrets
from collections.abc import Callable
from pathlib import Path

from netraven_shared.credential_keys import new_key_entry

FIRST_KEY_ID = "k1"
GENERATORS: dict[str, Callable[[], str]] = {
    "NETRAVEN_CREDENTIAL_KEYS": lambda: new_key_entry(FIRST_KEY_ID),
    "NETRAVEN_JWT_SECRET": lambda: secrets.token_urlsafe(48),
}


def load_or_create_secrets(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, _, value = line.partition("=")
            if name and value:
                values[name] = value
    missing = [name for name in GENERATORS if name not in values]
    if missing:
        values.update({name: GENERATORS[name]() for name in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
    return values
