"""One-off set-up commands, run by `make run` (and by operators) against the database.

    python -m netraven_api.bootstrap admin              create the first admin if none exists
    python -m netraven_api.bootstrap lab INVENTORY.json [DEMO.json]
                                                        register simulated lab devices (idempotent),
                                                        and the demo lab's extras (bootstrap_demo)

The admin password comes from NETRAVEN_ADMIN_PASSWORD (it must satisfy the same rules as any
password); without it a strong one is generated and printed once, on the line
`NETRAVEN_ADMIN_CREATED username=... password=...`, and must be changed at first sign-in: it sat in
a log.
"""

import asyncio
import json
import secrets
import sys
from pathlib import Path

from netraven_shared.crypto import credential_cipher
from netraven_shared.db.models import Role, User
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.drivers.catalog import load_catalog_logging_errors
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.auth.security import hash_password
from netraven_api.bootstrap_demo import register_demo
from netraven_api.config import ApiSettings
from netraven_api.credentials import repository as credentials_repository
from netraven_api.credentials.schemas import CredentialCreate
from netraven_api.credentials.service import create_credential
from netraven_api.devices import repository as devices_repository
from netraven_api.devices.schemas import DeviceCreate
from netraven_api.devices.service import create_device
from netraven_api.jobs import repository as jobs_repository
from netraven_api.jobs.schemas import IntervalSchedule, JobCreate
from netraven_api.jobs.service import create_job
from netraven_api.unit_of_work import unit_of_work
from netraven_api.users import repository as users_repository
from netraven_api.users.schemas import check_password_rules

LAB_TAG = "lab"
LAB_JOB = "Lab backup (hourly)"


def first_admin_password(settings: ApiSettings) -> tuple[str, bool]:
    """The first admin's password, and whether it must be changed at first sign-in (a generated one
    must)."""
    if settings.admin_password is None:
        return secrets.token_urlsafe(16), True
    check_password_rules(settings.admin_password, "NETRAVEN_ADMIN_PASSWORD")
    return settings.admin_password, False


async def ensure_admin(session: AsyncSession, settings: ApiSettings) -> str:
    if await users_repository.any_admin(session):
        return "NETRAVEN_ADMIN_EXISTS"
    password, must_change = first_admin_password(settings)
    session.add(
        User(
            username=settings.admin_username,
            password_hash=hash_password(password),
            role=Role.ADMIN,
            must_change_password=must_change,
        )
    )
    await session.flush()
    shown = "(from NETRAVEN_ADMIN_PASSWORD)" if settings.admin_password else password
    return f"NETRAVEN_ADMIN_CREATED username={settings.admin_username} password={shown}"


async def register_lab(
    session: AsyncSession,
    settings: ApiSettings,
    inventory: list[dict],
    demo: dict[str, list[dict]] | None = None,
) -> str:
    cipher = credential_cipher(settings)
    first = inventory[0]
    if not await credentials_repository.name_taken(session, "lab-admin"):
        await create_credential(
            session,
            CredentialCreate(
                name="lab-admin",
                username=first["username"],
                password=first["password"],
                enable_secret=first.get("enable_secret"),
                priority=10,
                tags=[LAB_TAG],
            ),
            cipher,
        )
    catalog, added = load_catalog_logging_errors(settings.drivers_dir), 0
    for entry in inventory:
        device = await devices_repository.device_named(session, entry["hostname"])
        if device is None:
            await create_device(
                session,
                DeviceCreate(
                    hostname=entry["hostname"],
                    ip_address=entry["ip_address"],
                    device_type=entry["device_type"],
                    port=entry["port"],
                    tags=[LAB_TAG],
                ),
                catalog,
            )
            added += 1
        else:
            device.ip_address, device.port = entry["ip_address"], entry["port"]
    devices = len(inventory)
    if demo is not None:
        demo_devices, demo_added = await register_demo(session, demo, cipher, catalog, LAB_TAG)
        devices, added = devices + demo_devices, added + demo_added
    if not await jobs_repository.name_taken(session, LAB_JOB):
        schedule = IntervalSchedule(type="interval", seconds=3600)
        await create_job(session, JobCreate(name=LAB_JOB, tags=[LAB_TAG], schedule=schedule))
    return f"NETRAVEN_LAB_REGISTERED devices={devices} added={added} job='{LAB_JOB}'"


async def main(argv: list[str]) -> int:
    settings = ApiSettings()
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with unit_of_work(session_factory(engine)) as work:
            if argv[:1] == ["admin"]:
                try:
                    print(await ensure_admin(work.session, settings))
                except ValueError as error:
                    print(f"NETRAVEN_ADMIN_REFUSED {error}", file=sys.stderr)
                    return 2
            elif argv[:1] == ["lab"] and len(argv) in (2, 3):
                inventory = json.loads(Path(argv[1]).read_text())
                demo = json.loads(Path(argv[2]).read_text()) if len(argv) == 3 else None
                print(await register_lab(work.session, settings, inventory, demo))
            else:
                print(__doc__, file=sys.stderr)
                return 2
    finally:
        await engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
