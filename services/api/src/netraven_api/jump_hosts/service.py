"""Jump hosts: SSH bastions the workers reach devices through.

A device names one (`devices.jump_host_id`), or one of its tags does (`tags.jump_host_id`): the
device's own wins, else its tags' with the lowest tag name. The bastion's host key is pinned when an
admin creates it, never learned on first use: a session proves the bastion holds it before the
bastion's credential is sent. A jump host still named by a device or a tag cannot be deleted (409).
"""

from uuid import UUID

from netraven_shared.db.models import Device, JumpHost
from netraven_shared.errors import Conflict, InvalidInput, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.jump_hosts import repository
from netraven_api.jump_hosts.pinned_key import pinned_key
from netraven_api.jump_hosts.schemas import (
    JumpHostCreate,
    JumpHostCredential,
    JumpHostOut,
    JumpHostRef,
    JumpHostUpdate,
    PinnedJumpHostKey,
)

NAMED_USERS = 10


async def jump_host_outs(session: AsyncSession, jump_hosts: list[JumpHost]) -> list[JumpHostOut]:
    names = await repository.credential_names(session, {j.credential_id for j in jump_hosts})
    users = await repository.users(session, [j.id for j in jump_hosts])
    return [
        JumpHostOut(
            id=j.id,
            name=j.name,
            address=j.address,
            port=j.port,
            credential=JumpHostCredential(id=j.credential_id, name=names.get(j.credential_id, "")),
            host_key=PinnedJumpHostKey(
                key_type=j.host_key_type,
                fingerprint=j.host_key_fingerprint,
                public_key=f"{j.host_key_type} {j.host_key_public}",
            ),
            devices=users[j.id][0],
            tags=users[j.id][1],
            created_at=j.created_at,
        )
        for j in jump_hosts
    ]


async def jump_host_out(session: AsyncSession, jump_host: JumpHost) -> JumpHostOut:
    return (await jump_host_outs(session, [jump_host]))[0]


async def list_jump_hosts(session: AsyncSession) -> list[JumpHostOut]:
    return await jump_host_outs(session, await repository.list_jump_hosts(session))


async def get_jump_host(session: AsyncSession, jump_host_id: UUID) -> JumpHost:
    jump_host = await repository.get_jump_host(session, jump_host_id)
    if jump_host is None:
        raise NotFound(f"no jump host with id {jump_host_id}")
    return jump_host


async def require_jump_host(session: AsyncSession, jump_host_id: UUID) -> JumpHost:
    """The jump host a device or tag names; 422 when there is none with that id."""
    jump_host = await repository.get_jump_host(session, jump_host_id)
    if jump_host is None:
        raise InvalidInput(f"jump_host_id: no jump host with id {jump_host_id}")
    return jump_host


async def _require_credential(session: AsyncSession, credential_id: UUID) -> None:
    if not await repository.credential_names(session, {credential_id}):
        raise InvalidInput(f"credential_id: no credential with id {credential_id}")


async def _refuse_taken(session: AsyncSession, name: str, except_id: UUID | None = None) -> None:
    if await repository.name_taken(session, name, except_id):
        raise Conflict(f"a jump host named '{name}' already exists")


def _pin(jump_host: JumpHost, text: str) -> None:
    key = pinned_key(text)
    jump_host.host_key_type = key.key_type
    jump_host.host_key_public = key.public_key
    jump_host.host_key_fingerprint = key.fingerprint


async def create_jump_host(session: AsyncSession, data: JumpHostCreate) -> JumpHost:
    await _refuse_taken(session, data.name)
    await _require_credential(session, data.credential_id)
    jump_host = JumpHost(
        name=data.name, address=data.address, port=data.port, credential_id=data.credential_id
    )
    _pin(jump_host, data.host_key)
    session.add(jump_host)
    await session.flush()
    return jump_host


async def update_jump_host(
    session: AsyncSession, jump_host_id: UUID, data: JumpHostUpdate
) -> JumpHost:
    jump_host = await get_jump_host(session, jump_host_id)
    if data.name is not None and data.name != jump_host.name:
        await _refuse_taken(session, data.name, except_id=jump_host.id)
        jump_host.name = data.name
    if data.address is not None:
        jump_host.address = data.address
    if data.port is not None:
        jump_host.port = data.port
    if data.credential_id is not None:
        await _require_credential(session, data.credential_id)
        jump_host.credential_id = data.credential_id
    if data.host_key is not None:
        _pin(jump_host, data.host_key)
    await session.flush()
    return jump_host


async def delete_jump_host(session: AsyncSession, jump_host_id: UUID) -> str:
    """Delete it and return its name; 409 naming the devices and tags that still use it."""
    jump_host = await get_jump_host(session, jump_host_id)
    devices, tags = (await repository.users(session, [jump_host.id]))[jump_host.id]
    if devices or tags:
        used_by = [
            *([f"devices {_listed(devices)}"] if devices else []),
            *([f"tags {_listed(tags)}"] if tags else []),
        ]
        raise Conflict(
            f"jump host '{jump_host.name}' is used by {' and '.join(used_by)}: "
            "point them elsewhere first",
            {"devices": devices, "tags": tags},
        )
    await session.delete(jump_host)
    await session.flush()
    return jump_host.name


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:NAMED_USERS])
    return shown + (f" and {len(names) - NAMED_USERS} more" if len(names) > NAMED_USERS else "")


async def effective_jump_hosts(
    session: AsyncSession, devices: list[Device]
) -> dict[UUID, JumpHostRef]:
    """Per device, the jump host its sessions go through (its own, else its tags'); devices that
    go direct are left out."""
    own_ids = {d.jump_host_id for d in devices if d.jump_host_id is not None}
    own = {j.id: j for j in await repository.jump_hosts_with_ids(session, own_ids)}
    from_tags = await repository.tag_jump_hosts(
        session, [d.id for d in devices if d.jump_host_id is None]
    )
    found: dict[UUID, JumpHostRef] = {}
    for device in devices:
        if device.jump_host_id is not None and device.jump_host_id in own:
            found[device.id] = JumpHostRef(
                id=device.jump_host_id, name=own[device.jump_host_id].name
            )
        elif device.id in from_tags:
            tag_name, jump_host = from_tags[device.id]
            found[device.id] = JumpHostRef(id=jump_host.id, name=jump_host.name, from_tag=tag_name)
    return found
