"""What the api prunes (see netraven_shared.retention): audit entries and finished runs with their
results. A run still queued or running is never deleted; config versions are never pruned."""

from netraven_shared.retention import Retention

from netraven_api.audit.repository import delete_older_than as delete_audit_entries
from netraven_api.config import ApiSettings
from netraven_api.runs.repository import delete_settled_before as delete_runs


def api_retentions(settings: ApiSettings) -> list[Retention]:
    return [
        Retention("audit entries", settings.audit_retention_days, delete_audit_entries),
        Retention("runs", settings.run_retention_days, delete_runs),
    ]
