"""Each service of `make run` logs in to PostgreSQL as its own user, a member of its group role
(netraven_shared.db.service_grants); migrations and bootstrap-free tooling stay with the owner.

The passwords are generated once and kept (mode 0600) in `.netraven/database-logins.env`, so a
stack pointed at a PostgreSQL that checks passwords keeps working across restarts.
"""

import asyncio
import secrets
from pathlib import Path

from netraven_shared.db.service_grants import ROLES
from netraven_shared.db.service_logins import database_url_for, ensure_logins, password_variable


def load_or_create_passwords(path: Path) -> dict[str, str]:
    stored = (
        dict(line.partition("=")[::2] for line in path.read_text().splitlines() if "=" in line)
        if path.exists()
        else {}
    )
    passwords = {service: stored.get(password_variable(service), "") for service in ROLES}
    if not all(passwords.values()):
        passwords = {
            service: password or secrets.token_urlsafe(32)
            for service, password in passwords.items()
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(
            "".join(
                f"{password_variable(service)}={password}\n"
                for service, password in passwords.items()
            )
        )
    return passwords


def service_database_urls(owner_url: str, passwords_path: Path) -> dict[str, str]:
    """Create or update the logins, connected as the owner; the database URL of each service."""
    passwords = load_or_create_passwords(passwords_path)
    asyncio.run(ensure_logins(owner_url, passwords))
    return {
        service: database_url_for(owner_url, service, password)
        for service, password in passwords.items()
    }
