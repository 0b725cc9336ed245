from pathlib import Path

from netraven_shared.settings import NetRavenSettings
from pydantic import Field, PrivateAttr, model_validator
from pydantic_settings import SettingsConfigDict

from netraven_gitkeeper.mirror_settings import (
    Mirror,
    mirrors_from_file,
    refuse_duplicate_names,
    single_mirror,
)


class GitkeeperSettings(NetRavenSettings):
    # A refused mirror URL may hold a token: errors name the problem, never the input.
    model_config = NetRavenSettings.model_config | SettingsConfigDict(hide_input_in_errors=True)

    repo_path: Path = Path(".netraven/configs")
    health_port: int = 8104
    # A batch of backups becomes one commit: it closes when this many arrived or the window ran out.
    batch_max_configs: int = 500
    batch_window_seconds: float = 0.2
    # Git remotes the repository is pushed to after each batch: docs/mirrors.md
    git_mirror_url: str | None = None
    git_mirror_ssh_key_file: Path | None = None
    git_mirror_known_hosts_file: Path | None = None
    git_mirror_token_file: Path | None = None
    git_mirrors_file: Path | None = None
    git_mirror_retry_max_seconds: float = Field(default=300, gt=0)
    git_mirror_push_timeout_seconds: float = Field(default=120, gt=0)
    _mirrors: list[Mirror] = PrivateAttr(default_factory=list)

    @property
    def mirrors(self) -> list[Mirror]:
        return self._mirrors

    @model_validator(mode="after")
    def _read_mirrors(self) -> "GitkeeperSettings":
        mirrors = single_mirror(
            self.git_mirror_url,
            self.git_mirror_ssh_key_file,
            self.git_mirror_known_hosts_file,
            self.git_mirror_token_file,
        )
        if self.git_mirrors_file is not None:
            mirrors += mirrors_from_file(self.git_mirrors_file)
        self._mirrors = refuse_duplicate_names(mirrors)
        return self
