"""The audit action of every state-changing route, `<object>.<verb>`: what a refused request is
recorded as.

The endpoints name the same action when they succeed; a test checks that every state-changing route
is here."""

import re
from dataclasses import dataclass

from starlette.routing import compile_path

ACTIONS = {
    "POST /api/auth/password": "user.change_password",
    "POST /api/auth/sign-out-everywhere": "user.sign_out_everywhere",
    "POST /api/users": "user.create",
    "PATCH /api/users/{user_id}": "user.update",
    "POST /api/devices": "device.create",
    "POST /api/devices/import": "device.import",
    "PATCH /api/devices/{device_id}": "device.update",
    "DELETE /api/devices/{device_id}": "device.delete",
    "POST /api/devices/{device_id}/backup": "device.backup",
    "POST /api/devices/{device_id}/reachability": "device.check_reachability",
    "DELETE /api/devices/{device_id}/bound-credential": "credential.unbound",
    "POST /api/devices/{device_id}/host-key/accept": "host_key.accepted",
    "PUT /api/devices/{device_id}/host-key": "host_key.pinned",
    "DELETE /api/devices/{device_id}/host-key": "host_key.cleared",
    "POST /api/devices/host-keys": "host_key.imported",
    "PUT /api/management-networks": "management_networks.replaced",
    "POST /api/jump-hosts": "jump_host.create",
    "PATCH /api/jump-hosts/{jump_host_id}": "jump_host.update",
    "DELETE /api/jump-hosts/{jump_host_id}": "jump_host.delete",
    "POST /api/sites": "site.create",
    "PATCH /api/sites/{site_id}": "site.update",
    "DELETE /api/sites/{site_id}": "site.delete",
    "POST /api/tags": "tag.create",
    "PATCH /api/tags/{tag_id}": "tag.update",
    "DELETE /api/tags/{tag_id}": "tag.delete",
    "POST /api/config-filters": "config_filter.create",
    "POST /api/config-filters/preview": "config_filter.preview",
    "PUT /api/config-filters/{filter_id}": "config_filter.update",
    "POST /api/config-filters/{filter_id}/versions/{version}/restore": "config_filter.restore",
    "DELETE /api/config-filters/{filter_id}": "config_filter.delete",
    "POST /api/credentials": "credential.create",
    "PATCH /api/credentials/{credential_id}": "credential.update",
    "DELETE /api/credentials/{credential_id}": "credential.delete",
    "POST /api/jobs": "job.create",
    "PATCH /api/jobs/{job_id}": "job.update",
    "DELETE /api/jobs/{job_id}": "job.delete",
    "POST /api/jobs/{job_id}/run": "job.run",
    "POST /api/runs/{run_id}/cancel": "run.cancel",
    "POST /api/notifications/channels": "notification_channel.create",
    "PATCH /api/notifications/channels/{channel_id}": "notification_channel.update",
    "DELETE /api/notifications/channels/{channel_id}": "notification_channel.delete",
    "POST /api/notifications/channels/{channel_id}/test": "notification_channel.test",
    "POST /api/notifications/rules": "notification_rule.create",
    "PATCH /api/notifications/rules/{rule_id}": "notification_rule.update",
    "DELETE /api/notifications/rules/{rule_id}": "notification_rule.delete",
    "POST /api/inventory-sources": "inventory_source.create",
    "PATCH /api/inventory-sources/{source_id}": "inventory_source.update",
    "DELETE /api/inventory-sources/{source_id}": "inventory_source.delete",
    "POST /api/inventory-sources/{source_id}/preview": "inventory_source.preview",
    "POST /api/inventory-sources/{source_id}/sync": "inventory_source.sync",
    "POST /api/compliance/rules": "compliance_rule.create",
    "PATCH /api/compliance/rules/{rule_id}": "compliance_rule.update",
    "DELETE /api/compliance/rules/{rule_id}": "compliance_rule.delete",
    "POST /api/compliance/check": "compliance.check",
    "POST /api/devices/{device_id}/compliance/check": "device.compliance_check",
    "POST /api/tokens": "api_token.create",
    "DELETE /api/tokens/{token_id}": "api_token.revoke",
}
# Not recorded as refusals: sign-in records itself (with the username tried); the others change
# nothing stored.
NOT_RECORDED = frozenset(
    {"/api/auth/token", "/api/auth/sign-out", "/api/auth/refresh", "/api/logs/stream-token"}
)
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Matched:
    action: str
    route: str
    object_type: str
    object_id: str | None


def _compiled() -> list[tuple[str, re.Pattern, str, str]]:
    compiled = []
    for key, action in ACTIONS.items():
        method, _, route = key.partition(" ")
        compiled.append((method, compile_path(route)[0], route, action))
    return compiled


_COMPILED = _compiled()


def match(method: str, path: str) -> Matched:
    """The action of a request by its method and path; one the table misses still gets a readable
    action."""
    for route_method, pattern, route, action in _COMPILED:
        found = pattern.match(path) if route_method == method else None
        if found:
            return _matched(action, route, found.groupdict())
    return Matched(f"request.{method.lower()}", path[:200], "request", None)


def _matched(action: str, route: str, path_params: dict[str, str]) -> Matched:
    """The object is the one the path names (`{device_id}`: a device), else the action's."""
    for name, value in path_params.items():
        return Matched(action, route, name.removesuffix("_id"), value)
    return Matched(action, route, action.partition(".")[0], None)
