"""The order of roles: each may do everything the one below it may."""

from netraven_shared.db.models import Role

_RANK = {Role.VIEWER: 0, Role.OPERATOR: 1, Role.ADMIN: 2}


def at_least(role: str, minimum: str) -> bool:
    return _RANK[Role(role)] >= _RANK[Role(minimum)]


def lower_role(first: str, second: str) -> Role:
    return Role(first) if at_least(second, first) else Role(second)
