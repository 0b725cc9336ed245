"""The audit trail: who did what to which object, from where, and how it ended.

An endpoint that changes state declares `audit: AuditTrailDep` and calls `audit.record(...)` before
it commits, so the entry lands in the same transaction as the change (or not at all)."""

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request
from netraven_shared.db.models import AuditEntry, User
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.deps import CurrentClaims, CurrentUser, SessionDep, SignedInUser


@dataclass(frozen=True)
class Actor:
    user_id: UUID | None
    username: str | None
    role: str | None
    address: str | None
    token_id: UUID | None = None

    @classmethod
    def of(
        cls,
        user: User | None,
        request: Request,
        token_id: UUID | None = None,
        role: str | None = None,
    ) -> "Actor":
        address = request.client.host if request.client else None
        if user is None:
            return cls(None, None, None, address)
        return cls(user.id, user.username, role or user.role, address, token_id)


class AuditTrail:
    def __init__(self, session: AsyncSession, actor: Actor) -> None:
        self.session, self.actor = session, actor

    def record(
        self,
        action: str,
        object_type: str | None = None,
        object_id: Any = None,
        *,
        changes: dict[str, Any] | None = None,
        outcome: str = "success",
        detail: str | None = None,
    ) -> None:
        """Add the entry to the session; it is written when the caller commits. `changes` must never
        hold a secret: name a changed secret field with the value "(changed)"."""
        self.session.add(
            AuditEntry(
                actor_id=self.actor.user_id,
                actor_name=self.actor.username,
                actor_role=self.actor.role,
                token_id=self.actor.token_id,
                action=action,
                object_type=object_type,
                object_id=None if object_id is None else str(object_id)[:255],
                changes=changes or {},
                source_address=self.actor.address,
                outcome=outcome,
                detail=detail,
            )
        )


async def _audit_trail(
    request: Request, session: SessionDep, user: CurrentUser, claims: CurrentClaims
) -> AuditTrail:
    return AuditTrail(session, Actor.of(user, request, claims.token_id, claims.role))


AuditTrailDep = Annotated[AuditTrail, Depends(_audit_trail)]


async def _signed_in_audit_trail(
    request: Request, session: SessionDep, user: SignedInUser, claims: CurrentClaims
) -> AuditTrail:
    return AuditTrail(session, Actor.of(user, request, claims.token_id, claims.role))


SignedInAuditTrailDep = Annotated[AuditTrail, Depends(_signed_in_audit_trail)]
"""For the few endpoints a user who must first change their password may call."""
