from functools import partial

from fastapi import APIRouter

from netraven_api.audit.security_decisions import audit
from netraven_api.audit.trail import AuditTrailDep
from netraven_api.deps import Admin, BrokerDep, SessionDep, Viewer
from netraven_api.errors import error_responses
from netraven_api.management_networks import service
from netraven_api.management_networks.schemas import ManagementNetworksIn, ManagementNetworksOut
from netraven_api.unit_of_work import UnitOfWorkDep

AUDITED_NETWORKS = 50  # named in the audit line; a log line is at most 4000 characters
router = APIRouter(prefix="/management-networks", tags=["management networks"])


@router.get("", summary="The networks devices may live in, and the devices outside them")
async def list_management_networks(session: SessionDep, _: Viewer) -> ManagementNetworksOut:
    return await service.describe(session)


@router.put(
    "",
    summary="Replace the management networks (admin); an empty list allows any address",
    responses=error_responses(403),
)
async def replace_management_networks(
    data: ManagementNetworksIn,
    work: UnitOfWorkDep,
    broker: BrokerDep,
    user: Admin,
    trail: AuditTrailDep,
) -> ManagementNetworksOut:
    before = [network.cidr for network in (await service.describe(work.session)).networks]
    cidrs = await service.replace(work.session, data.networks)
    out = await service.describe(work.session)
    changes = {"networks": {"old": before, "new": cidrs}}
    trail.record("management_networks.replaced", "management_networks", changes=changes)
    listed = ", ".join(cidrs[:AUDITED_NETWORKS]) + (
        f" and {len(cidrs) - AUDITED_NETWORKS} more" if len(cidrs) > AUDITED_NETWORKS else ""
    )
    message = (
        f"{user.username} set the management networks to {listed or 'none: any address is allowed'}"
    )
    work.after_commit(
        partial(
            audit,
            broker,
            "management_networks.replaced",
            message,
            by=user.username,
            networks=len(cidrs),
        )
    )
    return out
