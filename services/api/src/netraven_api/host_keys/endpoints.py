from functools import partial
from uuid import UUID

from fastapi import APIRouter, Response
from faststream.nats import NatsBroker
from netraven_shared.db.models import User

from netraven_api.audit.security_decisions import audit
from netraven_api.audit.trail import AuditTrail, AuditTrailDep
from netraven_api.deps import Admin, BrokerDep
from netraven_api.devices.schemas import DeviceOut
from netraven_api.devices.service import device_detail
from netraven_api.errors import error_responses
from netraven_api.host_keys import service
from netraven_api.host_keys.schemas import AcceptHostKey, KnownHostsIn, KnownHostsReport, PinHostKey
from netraven_api.unit_of_work import UnitOfWork, UnitOfWorkDep

router = APIRouter(prefix="/devices", tags=["host keys"], responses=error_responses(403))


def _was(fingerprint: str | None) -> str:
    return f"was {fingerprint}" if fingerprint else "nothing was pinned"


@router.post(
    "/{device_id}/host-key/accept",
    summary="Trust the key the device offered (admin): it becomes the pin",
    description="409 when the device offers no key, or offered another one since the admin looked.",
    responses=error_responses(404, 409),
)
async def accept_host_key(
    device_id: UUID,
    data: AcceptHostKey,
    work: UnitOfWorkDep,
    broker: BrokerDep,
    user: Admin,
    trail: AuditTrailDep,
) -> DeviceOut:
    fingerprint = data.fingerprint
    decision = await service.accept_offered(work.session, device_id, fingerprint, user.username)
    return await _pinned(work, broker, user, trail, decision, fingerprint, "accepted", "offered by")


@router.put(
    "/{device_id}/host-key",
    summary="Pin this host key for the device (admin), replacing any pin or offer",
    responses=error_responses(404),
)
async def pin_host_key(
    device_id: UUID,
    data: PinHostKey,
    work: UnitOfWorkDep,
    broker: BrokerDep,
    user: Admin,
    trail: AuditTrailDep,
) -> DeviceOut:
    decision, key = await service.pin_key(work.session, device_id, data.public_key, user.username)
    return await _pinned(work, broker, user, trail, decision, key.fingerprint, "pinned", "for")


@router.delete(
    "/{device_id}/host-key",
    status_code=204,
    summary=(
        "Forget the device's pinned and offered keys (admin): the next session pins what it sees, "
        "unless pinning is strict"
    ),
    responses=error_responses(404),
)
async def clear_host_key(
    device_id: UUID,
    work: UnitOfWorkDep,
    broker: BrokerDep,
    user: Admin,
    trail: AuditTrailDep,
) -> Response:
    decision = await service.clear_key(work.session, device_id)
    trail.record(
        "host_key.cleared", "device", device_id, changes=_fingerprint_change(decision, None)
    )
    device = decision.device
    message = (
        f"{user.username} cleared the host key of {device.hostname} "
        f"({_was(decision.previous_fingerprint)})"
    )
    work.after_commit(
        partial(
            audit,
            broker,
            "host_key.cleared",
            message,
            by=user.username,
            device_id=device.id,
            previous_fingerprint=decision.previous_fingerprint,
        )
    )
    return Response(status_code=204)


@router.post(
    "/host-keys",
    summary="Pin the keys of a known_hosts file on the devices it names (admin)",
    description="Lines match a device by hostname, address, or `[address]:port` off port 22. With "
    "several keys for one device, an ed25519 key is preferred, then ECDSA, then RSA. 422 names the "
    "line of a malformed file.",
)
async def pin_known_hosts(
    data: KnownHostsIn,
    work: UnitOfWorkDep,
    broker: BrokerDep,
    user: Admin,
    trail: AuditTrailDep,
) -> KnownHostsReport:
    report, decisions = await service.pin_known_hosts(work.session, data.known_hosts, user.username)
    for decision in decisions:
        device = decision.device
        trail.record(
            "host_key.imported",
            "device",
            device.id,
            changes=_fingerprint_change(decision, device.host_key_fingerprint),
        )
        fingerprint, previous = device.host_key_fingerprint, decision.previous_fingerprint
        message = (
            f"{user.username} pinned the host key {fingerprint} for {device.hostname} "
            f"from a known_hosts file ({_was(previous)})"
        )
        work.after_commit(
            partial(
                audit,
                broker,
                "host_key.pinned",
                message,
                by=user.username,
                device_id=device.id,
                fingerprint=fingerprint,
                previous_fingerprint=previous,
            )
        )
    return report


def _fingerprint_change(decision: service.Decision, fingerprint: str | None) -> dict:
    return {"fingerprint": {"old": decision.previous_fingerprint, "new": fingerprint}}


async def _pinned(
    work: UnitOfWork,
    broker: NatsBroker,
    user: User,
    trail: AuditTrail,
    decision: service.Decision,
    fingerprint: str,
    verb: str,
    preposition: str,
) -> DeviceOut:
    """Record a new pin, audit it once committed ("alice accepted the host key SHA256:… offered
    by r1 (was …)") and answer the device."""
    device = decision.device
    out = await device_detail(work.session, device)
    changes = _fingerprint_change(decision, fingerprint)
    trail.record(f"host_key.{verb}", "device", device.id, changes=changes)
    was = _was(decision.previous_fingerprint)
    message = (
        f"{user.username} {verb} the host key {fingerprint} {preposition} {device.hostname} ({was})"
    )
    work.after_commit(
        partial(
            audit,
            broker,
            f"host_key.{verb}",
            message,
            by=user.username,
            device_id=device.id,
            fingerprint=fingerprint,
            previous_fingerprint=decision.previous_fingerprint,
        )
    )
    return out
