"""Which credentials one session may send, in order: no spraying passwords at a device.

The device's bound credential (the one that last logged in, `devices.bound_credential_id`) goes
first and, when it works, is the only one sent. The other candidates (credentials sharing a tag with
the device, in their priority order) follow only when the device proved it holds the pinned host
key:
a device met on trust-on-first-use could be an impostor collecting passwords. A device with no bound
credential (first contact) gets the candidates in order. Either way a session sends at most
`NETRAVEN_MAX_CREDENTIAL_ATTEMPTS` passwords.
"""

from dataclasses import dataclass
from uuid import UUID

from netraven_worker.collection import Login


@dataclass(frozen=True)
class CredentialPlan:
    logins: list[Login]
    held_back: str | None = None  # why some candidates will not be tried, for the failure message


def plan_credentials(
    candidates: list[Login], bound_id: UUID | None, key_pinned: bool, limit: int
) -> CredentialPlan:
    bound = next((login for login in candidates if login.credential_id == bound_id), None)
    if bound is None:
        return _capped(candidates, limit)
    others = [login for login in candidates if login is not bound]
    if not key_pinned and others:
        return CredentialPlan(
            [bound],
            f"{_count(others)} not tried: the device's host key is not pinned yet, "
            f"so only its bound credential '{bound.name}' is sent (an admin can accept the key)",
        )
    return _capped([bound, *others], limit)


def _capped(logins: list[Login], limit: int) -> CredentialPlan:
    if len(logins) <= limit:
        return CredentialPlan(logins)
    return CredentialPlan(
        logins[:limit],
        f"{_count(logins[limit:])} not tried: at most {limit} per session "
        "(NETRAVEN_MAX_CREDENTIAL_ATTEMPTS)",
    )


def _count(logins: list[Login]) -> str:
    return "1 other credential was" if len(logins) == 1 else f"{len(logins)} other credentials were"
