"""What the api seals for a remote site: the `SiteRequest` of one device of one run, read here as
a central worker reads it (its device, logins in order, filters, jump host), decrypted with the
credential key ring only in this process's memory, then sealed to the site's public key. The
outbox row holds the ciphertext alone.

The management networks rule is applied first: a device whose address is outside them gets no
login and no jump host sealed (the site's collector then fails it, "no credential was sent", as a
central worker does). A device given by DNS name is checked by the collector once it resolved it,
with the networks sealed beside the logins. A reachability check needs no secret: none is sealed.
"""

from ipaddress import ip_address
from uuid import UUID

from netraven_shared.crypto import CredentialCipher, MissingCredentialKey, credential_cipher
from netraven_shared.db.models import (
    ConfigFilter,
    ConfigVersion,
    Credential,
    Device,
    JumpHost,
    ManagementNetwork,
    Tag,
)
from netraven_shared.events.jobs import JobKind
from netraven_shared.events.site_dispatch import (
    SEALED_MAX_CHARS,
    SealedFilter,
    SealedJumpHost,
    SealedLogin,
    SiteRequest,
)
from netraven_shared.host_keys import HostKey
from netraven_shared.management_scope import outside_management_networks
from netraven_shared.settings import SecretSettings
from netraven_shared.site_seal import seal
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

_KEY_RING = "netraven.key_ring"


def with_key_ring(
    sessions: async_sessionmaker[AsyncSession], settings: SecretSettings
) -> async_sessionmaker[AsyncSession]:
    """Sessions that carry the settings whose key ring decrypts a site's logins: a run is started
    from requests, bus messages and the reconciler alike, each in a session of `create_app`'s."""
    sessions.configure(info={_KEY_RING: settings})
    return sessions


def _cipher_of(session: AsyncSession) -> CredentialCipher:
    settings = session.info.get(_KEY_RING)
    if settings is None:
        raise RuntimeError("a site's dispatch is sealed in a session of the api's (with_key_ring)")
    return credential_cipher(settings)


async def site_request(
    session: AsyncSession, device_id: UUID, run_id: UUID, kind: JobKind
) -> SiteRequest:
    device = await session.get(Device, device_id)
    if device is None:  # deleted in this transaction: the run's result went with it
        raise LookupError(f"device {device_id} is gone")
    tag_ids = [tag.id for tag in device.tags]
    networks = [str(cidr) for cidr in await session.scalars(select(ManagementNetwork.cidr))]
    request = SiteRequest(
        run_id=run_id,
        device_id=device.id,
        hostname=device.hostname,
        address=device.ip_address,
        port=device.port,
        device_type=device.device_type,
        transport=device.transport,
        legacy_ssh=device.legacy_ssh,
        timeout_seconds=device.timeout_seconds,
        last_config_bytes=await _last_config_bytes(session, device.id),
        pinned_host_key=HostKey(key_type=device.host_key_type, public_key=device.host_key_public)
        if device.host_key_type and device.host_key_public
        else None,
        bound_credential_id=device.bound_credential_id,
        management_networks=networks,
        filters=await _filters(session, device.device_type, tag_ids),
    )
    outside = _is_literal(device.ip_address) and outside_management_networks(
        device.ip_address, networks
    )
    jump_host = await _jump_host(session, device, tag_ids)
    if outside:
        return request
    if kind == "reachability":
        return request.model_copy(update={"jump_host": _without_login(jump_host)})
    cipher = _cipher_of(session)
    try:
        logins = [_login(row, cipher) for row in await _credentials(session, tag_ids)]
        bastion = (
            SealedJumpHost(
                name=jump_host.name,
                address=jump_host.address,
                port=jump_host.port,
                pinned_host_key=HostKey(
                    key_type=jump_host.host_key_type, public_key=jump_host.host_key_public
                ),
                login=_login(await session.get_one(Credential, jump_host.credential_id), cipher),
            )
            if jump_host is not None
            else None
        )
    except MissingCredentialKey as error:
        return request.model_copy(update={"unreadable_credentials": str(error)})
    return request.model_copy(update={"logins": logins, "jump_host": bastion})


def sealed_for_site(request: SiteRequest, public_key: str) -> str:
    """`request` sealed to the site's key; one too large for the jobs stream carries no login, and
    the collector fails the device saying why (as for credentials the key ring cannot read)."""
    sealed = seal(request, public_key)
    if len(sealed) <= SEALED_MAX_CHARS:
        return sealed
    why = (
        f"the logins of {request.hostname} sealed for its site take {len(sealed)} characters, "
        f"more than a dispatch holds ({SEALED_MAX_CHARS}): give it fewer or smaller credentials"
    )
    return seal(
        request.model_copy(update={"logins": [], "jump_host": None, "unreadable_credentials": why}),
        public_key,
    )


def _is_literal(address: str) -> bool:
    """An IP address, not a DNS name (which only the collector can resolve)."""
    try:
        ip_address(address)
    except ValueError:
        return False
    return True


def _without_login(jump_host: JumpHost | None) -> SealedJumpHost | None:
    """A reachability check probes the jump host's port and sends nothing: its login is blank."""
    if jump_host is None:
        return None
    return SealedJumpHost(
        name=jump_host.name,
        address=jump_host.address,
        port=jump_host.port,
        pinned_host_key=HostKey(
            key_type=jump_host.host_key_type, public_key=jump_host.host_key_public
        ),
        login=SealedLogin(credential_id=jump_host.credential_id, name="", username=""),
    )


async def _last_config_bytes(session: AsyncSession, device_id: UUID) -> int | None:
    return await session.scalar(
        select(ConfigVersion.size_bytes)
        .where(ConfigVersion.device_id == device_id)
        .order_by(ConfigVersion.committed_at.desc())
        .limit(1)
    )


async def _filters(
    session: AsyncSession, device_type: str, tag_ids: list[UUID]
) -> list[SealedFilter]:
    rows = await session.scalars(
        select(ConfigFilter)
        .where(
            ConfigFilter.enabled,
            or_(ConfigFilter.platform == device_type, ConfigFilter.tag_id.in_(tag_ids)),
        )
        .order_by(ConfigFilter.name)
    )
    return [
        SealedFilter(name=f.name, version=f.version, redactions=f.redactions, noise=f.noise)
        for f in rows
    ]


async def _jump_host(session: AsyncSession, device: Device, tag_ids: list[UUID]) -> JumpHost | None:
    """Its own, else its tags' (lowest tag name first), as the worker picks it."""
    jump_host_id = device.jump_host_id or await session.scalar(
        select(Tag.jump_host_id)
        .where(Tag.id.in_(tag_ids), Tag.jump_host_id.is_not(None))
        .order_by(Tag.name)
        .limit(1)
    )
    return await session.get(JumpHost, jump_host_id) if jump_host_id else None


async def _credentials(session: AsyncSession, tag_ids: list[UUID]) -> list[Credential]:
    """Those sharing a tag with the device: lowest priority number first, then the ones that
    worked most often (the worker's order)."""
    return list(
        await session.scalars(
            select(Credential)
            .where(Credential.tags.any(Tag.id.in_(tag_ids)))
            .order_by(Credential.priority, Credential.success_count.desc(), Credential.name)
        )
    )


def _login(row: Credential, cipher: CredentialCipher) -> SealedLogin:
    def decrypted(token: bytes | None) -> str | None:
        return cipher.decrypt(token, key_id=row.key_id, credential=row.name) if token else None

    return SealedLogin(
        credential_id=row.id,
        name=row.name,
        username=row.username,
        password=decrypted(row.password_encrypted),
        enable_secret=decrypted(row.enable_secret_encrypted),
        private_key=decrypted(row.private_key_encrypted),
        private_key_passphrase=decrypted(row.private_key_passphrase_encrypted),
    )
