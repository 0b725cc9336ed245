"""Gitkeeper refuses at start the mirror settings a push could only fail with, and says why."""

from pathlib import Path

import pytest
from netraven_gitkeeper.config import GitkeeperSettings
from netraven_gitkeeper.mirror_settings import Mirror, Transport, remote_display


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    names = ("deploy_key", "known_hosts", "token")
    for name in names:
        (tmp_path / name).write_text(f"{name}\n")
    (tmp_path / "deploy_key").chmod(0o600)
    return {name: tmp_path / name for name in names}


def settings(**values: object) -> GitkeeperSettings:
    return GitkeeperSettings(**values)  # type: ignore[arg-type]


class TestOneMirrorFromTheEnvironment:
    def test_none_without_a_url(self) -> None:
        assert settings().mirrors == []

    def test_ssh_with_deploy_key_and_pinned_host_key(self, files: dict[str, Path]) -> None:
        (mirror,) = settings(
            git_mirror_url="git@github.com:acme/configs.git",
            git_mirror_ssh_key_file=files["deploy_key"],
            git_mirror_known_hosts_file=files["known_hosts"],
        ).mirrors
        assert (mirror.name, mirror.transport, mirror.branch) == ("mirror", Transport.SSH, "main")

    def test_ssh_without_known_hosts_is_refused(self, files: dict[str, Path]) -> None:
        with pytest.raises(ValueError, match="known_hosts_file"):
            settings(
                git_mirror_url="ssh://git@github.com/acme/configs.git",
                git_mirror_ssh_key_file=files["deploy_key"],
            )

    def test_an_unreadable_file_is_refused(self, files: dict[str, Path], tmp_path: Path) -> None:
        with pytest.raises(ValueError, match=r"cannot read .*missing-token"):
            settings(
                git_mirror_url="https://git.example.net/acme/configs.git",
                git_mirror_token_file=tmp_path / "missing-token",
            )

    def test_a_token_file_for_an_ssh_remote_is_refused(self, files: dict[str, Path]) -> None:
        with pytest.raises(ValueError, match="token_file is for https"):
            settings(
                git_mirror_url="ssh://git@github.com/acme/configs.git",
                git_mirror_ssh_key_file=files["deploy_key"],
                git_mirror_known_hosts_file=files["known_hosts"],
                git_mirror_token_file=files["token"],
            )

    def test_a_deploy_key_others_may_read_is_refused(self, files: dict[str, Path]) -> None:
        files["deploy_key"].chmod(0o644)
        with pytest.raises(ValueError, match="chmod 600"):
            settings(
                git_mirror_url="ssh://git@github.com/acme/configs.git",
                git_mirror_ssh_key_file=files["deploy_key"],
                git_mirror_known_hosts_file=files["known_hosts"],
            )

    def test_a_token_over_plain_http_is_refused(self, files: dict[str, Path]) -> None:
        with pytest.raises(ValueError, match="https:// remotes only"):
            settings(
                git_mirror_url="http://git.example.net/acme/configs.git",
                git_mirror_token_file=files["token"],
            )

    @pytest.mark.parametrize(("name", "branch"), [("..", "main"), ("nas", "a..b"), ("nas", "/x")])
    def test_a_name_or_branch_git_cannot_take_is_refused(self, name: str, branch: str) -> None:
        with pytest.raises(ValueError, match="should match pattern"):
            Mirror(name=name, url="file:///srv/a.git", branch=branch)

    def test_a_plain_path_is_refused_use_file_urls(self) -> None:
        with pytest.raises(ValueError, match="file://"):
            settings(git_mirror_url="/srv/backup/configs.git")


class TestMirrorsFile:
    def test_many_mirrors_with_files_relative_to_the_list(
        self, files: dict[str, Path], tmp_path: Path
    ) -> None:
        listing = tmp_path / "mirrors.yaml"
        listing.write_text(
            "- {name: github, url: 'git@github.com:acme/configs.git', ssh_key_file: deploy_key,"
            " known_hosts_file: known_hosts}\n"
            "- {name: gitlab, url: 'https://gitlab.example.net/acme/configs.git',"
            " token_file: token, branch: backups}\n"
            "- {name: nas, url: 'file:///srv/configs.git'}\n"
        )
        mirrors = settings(git_mirrors_file=listing).mirrors
        assert [(m.name, m.transport) for m in mirrors] == [
            ("github", Transport.SSH),
            ("gitlab", Transport.HTTP),
            ("nas", Transport.FILE),
        ]
        assert mirrors[0].ssh_key_file == files["deploy_key"] and mirrors[1].branch == "backups"

    def test_duplicate_names_are_refused(self, tmp_path: Path) -> None:
        listing = tmp_path / "mirrors.yaml"
        listing.write_text(
            "- {name: mirror, url: 'file:///srv/a.git'}\n- {name: nas, url: 'file:///srv/b.git'}\n"
        )
        with pytest.raises(ValueError, match="share the name mirror"):
            settings(git_mirror_url="file:///srv/c.git", git_mirrors_file=listing)

    def test_a_list_that_is_not_one_is_refused(self, tmp_path: Path) -> None:
        listing = tmp_path / "mirrors.yaml"
        listing.write_text("name: nas\nurl: file:///srv/a.git\n")
        with pytest.raises(ValueError, match="a YAML list"):
            settings(git_mirrors_file=listing)


class TestRemoteDisplay:
    @pytest.mark.parametrize(
        ("url", "shown"),
        [
            ("https://ci:t0ken@git.example.net/a.git", "https://ci@git.example.net/a.git"),
            ("https://:t0ken@git.example.net:8443/a.git", "https://git.example.net:8443/a.git"),
            ("git@github.com:acme/configs.git", "git@github.com:acme/configs.git"),
            ("file:///srv/configs.git", "file:///srv/configs.git"),
        ],
    )
    def test_secrets_are_removed(self, url: str, shown: str) -> None:
        assert remote_display(url) == shown
