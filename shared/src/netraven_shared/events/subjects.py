"""Every NATS subject NetRaven uses. Other systems publish and subscribe by these names."""

JOB_REQUESTED = "netraven.jobs.requested"
BACKUP_STARTED = "netraven.backups.started"
BACKUP_SUCCEEDED = "netraven.backups.succeeded"
BACKUP_FAILED = "netraven.backups.failed"
CONFIG_STORED = "netraven.configs.stored"
LOG_EMITTED = "netraven.logs.emitted"
CONFIG_READ = "netraven.rpc.gitkeeper.config-read"
