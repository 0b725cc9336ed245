"""Git, and whatever it runs (hooks, aliases), never sees gitkeeper's secrets or a GIT_* from
outside."""

import pytest
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.git_cli import IDENTITY, GitCli

DUMP_ENVIRONMENT = ("-c", "alias.dump-environment=!env", "dump-environment")


@pytest.fixture
def git(tmp_path, monkeypatch) -> GitCli:
    monkeypatch.setenv(
        "NETRAVEN_DATABASE_URL", "postgresql+asyncpg://netraven_gitkeeper_login:s3cret@db/netraven"
    )
    monkeypatch.setenv("NETRAVEN_CREDENTIAL_KEY", "k" * 48)
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("LC_MESSAGES", "C")
    ConfigRepository(tmp_path / "repo")
    return GitCli(tmp_path / "repo")


def environment_of(git: GitCli) -> dict[str, str]:
    return dict(
        line.partition("=")[::2] for line in git.run(*DUMP_ENVIRONMENT).splitlines() if "=" in line
    )


class TestGitEnvironment:
    def test_no_netraven_setting_reaches_what_git_runs(self, git):
        environment = environment_of(git)
        assert not [name for name in environment if name.startswith("NETRAVEN_")]
        assert "s3cret" not in "\n".join(environment.values())

    def test_git_dir_from_outside_is_not_passed(self, git, tmp_path):
        assert environment_of(git).get("GIT_DIR") != str(tmp_path / "elsewhere")
        assert not (tmp_path / "elsewhere").exists()

    def test_gitkeeper_identity_path_and_locale_are(self, git):
        environment = environment_of(git)
        assert {name: environment[name] for name in IDENTITY} == IDENTITY
        assert environment["PATH"] and environment["LC_MESSAGES"] == "C"

    def test_a_hook_gets_the_same_environment(self, git, tmp_path):
        hooks = tmp_path / "repo" / "hooks"
        hook = hooks / "reference-transaction"
        hook.write_text(f"#!/bin/sh\nenv > {tmp_path / 'hook-environment'}\n")
        hook.chmod(0o755)
        commit = git.run("commit-tree", git.run("mktree", input=b"").strip(), "-m", "probe").strip()
        git.run("-c", f"core.hooksPath={hooks}", "update-ref", "refs/heads/probe", commit)
        dumped = (tmp_path / "hook-environment").read_text()
        assert "NETRAVEN_" not in dumped and "s3cret" not in dumped
