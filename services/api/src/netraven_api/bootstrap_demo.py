"""Registers the demo lab's extra devices (netraven_lab.demo) for `make run`: the key credential,
the bastion's credential and jump host, and one device for each way NetRaven reaches a device.

Everything goes through the same service code as the API, so the demo is refused what an admin
would be refused: the private key is read from the file the registration names, checked and
encrypted by `create_credential`, and never printed. A second run finds everything by name and
only moves what moved (the addresses and ports of a stack started with another port offset).
"""

from pathlib import Path
from uuid import UUID

from netraven_shared.crypto import CredentialCipher
from netraven_shared.drivers.catalog import DriverCatalog
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.credentials import repository as credentials_repository
from netraven_api.credentials.schemas import CredentialCreate
from netraven_api.credentials.service import create_credential
from netraven_api.devices import repository as devices_repository
from netraven_api.devices.schemas import DeviceCreate
from netraven_api.devices.service import create_device
from netraven_api.jump_hosts import repository as jump_hosts_repository
from netraven_api.jump_hosts.schemas import JumpHostCreate, JumpHostUpdate
from netraven_api.jump_hosts.service import create_jump_host, update_jump_host


async def register_demo(
    session: AsyncSession,
    registration: dict[str, list[dict]],
    cipher: CredentialCipher,
    catalog: DriverCatalog,
    lab_tag: str,
) -> tuple[int, int]:
    """Registers what is missing; returns (demo devices, devices added now). Every device also
    gets `lab_tag`, so the lab's job backs it up."""
    credential_ids = await _ensure_credentials(session, registration["credentials"], cipher)
    jump_host_ids: dict[str, UUID] = {}
    for entry in registration["jump_hosts"]:
        found = await jump_hosts_repository.jump_host_named(session, entry["name"])
        if found is None:
            created = await create_jump_host(
                session,
                JumpHostCreate(
                    name=entry["name"],
                    address=entry["address"],
                    port=entry["port"],
                    credential_id=credential_ids[entry["credential"]],
                    host_key=entry["host_key"],
                ),
            )
            jump_host_ids[entry["name"]] = created.id
        else:
            moved = JumpHostUpdate(
                address=entry["address"], port=entry["port"], host_key=entry["host_key"]
            )
            jump_host_ids[entry["name"]] = (await update_jump_host(session, found.id, moved)).id
    added = 0
    for entry in registration["devices"]:
        device = await devices_repository.device_named(session, entry["hostname"])
        if device is not None:
            device.ip_address, device.port = entry["ip_address"], entry["port"]
            continue
        await create_device(
            session,
            DeviceCreate(
                hostname=entry["hostname"],
                ip_address=entry["ip_address"],
                device_type=entry["device_type"],
                port=entry["port"],
                transport=entry["transport"],
                jump_host_id=jump_host_ids[entry["jump_host"]] if entry["jump_host"] else None,
                tags=[lab_tag, *entry["tags"]],
            ),
            catalog,
        )
        added += 1
    return len(registration["devices"]), added


async def _ensure_credentials(
    session: AsyncSession, entries: list[dict], cipher: CredentialCipher
) -> dict[str, UUID]:
    """The id of each credential the registration names, created when missing."""
    ids: dict[str, UUID] = {
        credential.name: credential.id
        for credential in await credentials_repository.list_credentials(session)
    }
    for entry in entries:
        if entry["name"] in ids:
            continue
        key_file = entry.get("private_key_file")
        credential = await create_credential(
            session,
            CredentialCreate(
                name=entry["name"],
                username=entry["username"],
                password=entry.get("password"),
                private_key=Path(key_file).read_text() if key_file else None,
                enable_secret=entry.get("enable_secret"),
                priority=entry["priority"],
                tags=entry["tags"],
            ),
            cipher,
        )
        ids[entry["name"]] = credential.id
    return ids
