"""An https mirror's token reaches git only through the credential helper, which reads the token
file when git asks: never in git's arguments or environment, its error text or the status."""

import subprocess
from pathlib import Path

import pytest
import structlog
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.git_cli import GitCli
from netraven_gitkeeper.mirror_push import MirrorGit, MirrorPushError, push_environment
from netraven_gitkeeper.mirror_settings import Mirror

TOKEN = "ghp_s3cretT0kenValue0123456789"


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n")
    return path


def https_mirror(token_file: Path, url: str = "https://git.example.net/acme/configs.git") -> Mirror:
    return Mirror(name="gitlab", url=url, token_file=token_file)


class TestTokenStaysOutOfSight:
    def test_git_environment_holds_the_file_name_never_the_token(self, token_file: Path) -> None:
        environment = push_environment(https_mirror(token_file))
        assert TOKEN not in "\n".join(f"{name}={value}" for name, value in environment.items())
        assert environment["MIRROR_TOKEN_FILE"] == str(token_file)

    def test_git_asks_the_helper_and_gets_the_token(
        self, token_file: Path, repo: ConfigRepository
    ) -> None:
        """`git credential fill` is what a push runs when the server asks for credentials."""
        environment = GitCli(repo.root)._env | push_environment(https_mirror(token_file))
        answer = subprocess.run(
            ["git", "credential", "fill"],
            input=b"protocol=https\nhost=git.example.net\n\n",
            env=environment,
            cwd=repo.root,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert f"password={TOKEN}\n" in answer and "username=x-access-token\n" in answer

    def test_a_user_name_in_the_url_is_the_one_sent(self, token_file: Path) -> None:
        mirror = https_mirror(token_file, "https://oauth2@gitlab.example.net/acme/configs.git")
        assert push_environment(mirror)["MIRROR_USERNAME"] == "oauth2"

    async def test_a_failed_push_says_nothing_of_the_token(
        self, token_file: Path, repo: ConfigRepository, tmp_path: Path, monkeypatch
    ) -> None:
        """Git's arguments are recorded by a `git` ahead of the real one on PATH."""
        recorder = tmp_path / "bin" / "git"
        recorder.parent.mkdir()
        recorder.write_text(
            f'#!/bin/sh\nprintf "%s\\n" "$@" >> {tmp_path}/argv\nenv >> {tmp_path}/env\n'
            f"echo \"fatal: unable to access 'https://x:{TOKEN}@git.example.net/': 401\" >&2\n"
            "exit 128\n"
        )
        recorder.chmod(0o755)
        monkeypatch.setenv("PATH", f"{recorder.parent}:/usr/bin:/bin")
        git = GitCli(repo.root)
        with structlog.testing.capture_logs() as logs, pytest.raises(MirrorPushError) as failure:
            await MirrorGit(git, https_mirror(token_file), timeout_seconds=10).push("a" * 40)
        assert TOKEN not in str(failure.value) and "***" in str(failure.value)
        assert TOKEN not in (tmp_path / "argv").read_text()
        assert TOKEN not in (tmp_path / "env").read_text()
        assert TOKEN not in repr(logs)


class TestRemoteDisplay:
    def test_a_token_in_the_url_is_refused_and_never_repeated(self, token_file: Path) -> None:
        with pytest.raises(ValueError, match="token_file") as refusal:
            Mirror(name="m", url=f"https://ci:{TOKEN}@git.example.net/acme/configs.git")
        assert TOKEN not in str(refusal.value)
        assert "https://ci@git.example.net/acme/configs.git" in str(refusal.value)
