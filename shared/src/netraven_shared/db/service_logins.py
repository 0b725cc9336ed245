"""The login each service connects as: a member of its group role, with a password of the
deployment's.

Migrations create the group roles but cannot know passwords, so whoever deploys creates the logins,
connected as the database owner (who needs CREATEROLE): `make run` and the test stacks call
`ensure_logins`; compose's `migrate` one-shot runs `python -m netraven_shared.db.service_logins`,
which reads the owner's NETRAVEN_DATABASE_URL and one NETRAVEN_DB_PASSWORD_<SERVICE> per service.
Running it again sets the passwords again, so it also rotates them.
"""

import asyncio
import os
from collections.abc import Mapping

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from netraven_shared.db.service_grants import ROLES
from netraven_shared.settings import NetRavenSettings

_CREATE_LOGIN = """
DO $$ BEGIN
  CREATE ROLE {login} LOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$
"""


def login_of(service: str) -> str:
    return f"{ROLES[service]}_login"


def password_variable(service: str) -> str:
    return f"NETRAVEN_DB_PASSWORD_{service.upper().replace('-', '_')}"


def database_url_for(owner_url: str, service: str, password: str) -> str:
    """The owner's URL with the service's login and password in its place."""
    url = make_url(owner_url).set(username=login_of(service), password=password)
    return url.render_as_string(hide_password=False)


async def ensure_logins(owner_url: str, passwords: Mapping[str, str]) -> None:
    """Create each service's login unless it exists, set its password, make it a member of its
    role."""
    engine = create_async_engine(owner_url)
    try:
        async with engine.begin() as connection:
            for service, password in passwords.items():
                login = login_of(service)
                await connection.exec_driver_sql(_CREATE_LOGIN.format(login=login))
                set_password = await connection.scalar(
                    text(
                        "SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB "
                        "NOCREATEROLE PASSWORD %L', CAST(:login AS text), CAST(:password AS text))"
                    ),
                    {"login": login, "password": password},
                )
                await connection.exec_driver_sql(set_password)
                await connection.exec_driver_sql(f"GRANT {ROLES[service]} TO {login}")
    finally:
        await engine.dispose()


def passwords_from_environment(environment: Mapping[str, str]) -> dict[str, str]:
    missing = [
        password_variable(service)
        for service in ROLES
        if not environment.get(password_variable(service))
    ]
    if missing:
        raise SystemExit(
            f"netraven: set {', '.join(missing)}: "
            "each service logs in to PostgreSQL with its own password"
        )
    return {service: environment[password_variable(service)] for service in ROLES}


if __name__ == "__main__":
    asyncio.run(
        ensure_logins(NetRavenSettings().database_url, passwords_from_environment(os.environ))
    )
