"""The development stack's own secrets, generated once and kept (mode 0600) so credentials stay
decryptable and tokens valid across restarts."""

import secrets
from pathlib import Path

GENERATED = ("NETRAVEN_CREDENTIAL_KEY", "NETRAVEN_JWT_SECRET")


def load_or_create_secrets(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, _, value = line.partition("=")
            if name and value:
                values[name] = value
    missing = [name for name in GENERATED if name not in values]
    if missing:
        values.update({name: secrets.token_urlsafe(48) for name in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
    return values
