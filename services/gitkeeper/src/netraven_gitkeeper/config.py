from pathlib import Path

from netraven_shared.settings import NetRavenSettings


class GitkeeperSettings(NetRavenSettings):
    repo_path: Path = Path(".netraven/configs")
    health_port: int = 8104
    # A batch of backups becomes one commit: it closes when this many arrived or the window ran out.
    batch_max_configs: int = 500
    batch_window_seconds: float = 0.2
