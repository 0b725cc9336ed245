from pathlib import Path

from netraven_shared.settings import NetRavenSettings


class GitkeeperSettings(NetRavenSettings):
    repo_path: Path = Path(".netraven/configs")
    health_port: int = 8104
