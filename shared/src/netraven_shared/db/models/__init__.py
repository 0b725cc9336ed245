"""Every table, one per file; importing this registers them all on `Base.metadata`."""

from netraven_shared.db.models.api_token import ApiToken
from netraven_shared.db.models.audit_entry import AuditEntry
from netraven_shared.db.models.compliance import (
    ComplianceCheck,
    ComplianceEvaluation,
    ComplianceRule,
    compliance_rule_tags,
)
from netraven_shared.db.models.config_filter import ConfigFilter, ConfigFilterVersion
from netraven_shared.db.models.config_version import ConfigVersion
from netraven_shared.db.models.credential import Credential
from netraven_shared.db.models.device import Device
from netraven_shared.db.models.inventory_source import InventorySource
from netraven_shared.db.models.job import Job, job_devices
from netraven_shared.db.models.jump_host import JumpHost
from netraven_shared.db.models.log_entry import LogEntry
from netraven_shared.db.models.management_network import ManagementNetwork
from netraven_shared.db.models.notification import (
    NotificationChannel,
    NotificationDelivery,
    NotificationRule,
    notification_rule_tags,
)
from netraven_shared.db.models.outbox_message import OutboxMessage
from netraven_shared.db.models.rejected_event import RejectedEvent
from netraven_shared.db.models.run import ResultStatus, Run, RunResult, RunStatus
from netraven_shared.db.models.site import Site
from netraven_shared.db.models.tag import DEFAULT_TAG, Tag, credential_tags, device_tags, job_tags
from netraven_shared.db.models.user import AuthSource, Role, User

__all__ = [
    "DEFAULT_TAG",
    "ApiToken",
    "AuditEntry",
    "AuthSource",
    "ComplianceCheck",
    "ComplianceEvaluation",
    "ComplianceRule",
    "ConfigFilter",
    "ConfigFilterVersion",
    "ConfigVersion",
    "Credential",
    "Device",
    "InventorySource",
    "Job",
    "JumpHost",
    "LogEntry",
    "ManagementNetwork",
    "NotificationChannel",
    "NotificationDelivery",
    "NotificationRule",
    "OutboxMessage",
    "RejectedEvent",
    "ResultStatus",
    "Role",
    "Run",
    "RunResult",
    "RunStatus",
    "Site",
    "Tag",
    "User",
    "compliance_rule_tags",
    "credential_tags",
    "device_tags",
    "job_devices",
    "job_tags",
    "notification_rule_tags",
]
