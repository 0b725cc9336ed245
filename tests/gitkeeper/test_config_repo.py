"""The config repository on its own: fast-import commits, blob ids, repositories made before them,
and archives of the tree at a time."""

import io
import subprocess
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from netraven_gitkeeper.config_repo import ConfigRepository, blob_id
from netraven_gitkeeper.planner import Backup, Fate, plan_batch

from tests.gitkeeper.backups import backup_of_text, commit_count

CONFIGS = {
    "core-1.cfg": "hostname core-1\n!\nbanner motd ^Zürich DC^\nend\n",
    "edge-2.cfg": "hostname edge-2\nend\n",
}


def git(root: Path, *args: str, input: str | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, input=input, capture_output=True, text=True, check=True
    ).stdout


class TestCommit:
    def test_a_new_repository_is_bare_and_a_commit_holds_every_file_with_its_own_diff(
        self, repo: ConfigRepository
    ) -> None:
        commit = repo.commit(CONFIGS, "two configs")
        assert git(repo.root, "rev-parse", "--is-bare-repository").strip() == "true"
        assert commit.commit == repo.head() and set(commit.diffs) == set(CONFIGS)
        assert "+banner motd ^Zürich DC^\n" in commit.diffs["core-1.cfg"]
        assert {path: repo.read(commit.commit, path) for path in CONFIGS} == CONFIGS

    def test_the_next_commit_follows_the_last_and_keeps_the_files_it_does_not_name(
        self, repo: ConfigRepository
    ) -> None:
        first = repo.commit(CONFIGS, "two configs")
        second = repo.commit(
            {"edge-2.cfg": "hostname edge-2\nntp server 10.0.0.1\nend\n"}, "one changed"
        )
        assert (
            git(repo.root, "rev-parse", f"{second.commit}^").strip() == first.commit
            and commit_count(repo) == 2
        )
        assert (
            set(second.diffs) == {"edge-2.cfg"}
            and repo.read(second.commit, "core-1.cfg") == CONFIGS["core-1.cfg"]
        )
        assert git(repo.root, "log", "-1", "--format=%B", second.commit).strip() == "one changed"

    def test_a_repository_with_a_checkout_from_before_keeps_its_history(
        self, tmp_path: Path
    ) -> None:
        root = tmp_path / "checkout"
        root.mkdir()
        git(root, "init", "-q", "-b", "main")
        (root / "core-1.cfg").write_text("hostname core-1\nend\n")
        git(root, "add", "core-1.cfg")
        git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "from before")
        old_head = git(root, "rev-parse", "HEAD").strip()
        repo = ConfigRepository(root)
        commit = repo.commit(CONFIGS, "after the upgrade")
        assert git(root, "rev-parse", f"{commit.commit}^").strip() == old_head
        assert "@@ -1,2 +1,4 @@\n hostname core-1\n+!\n" in commit.diffs["core-1.cfg"] and set(
            commit.diffs
        ) == set(CONFIGS)


class TestCommittedBlobs:
    def test_blob_id_is_the_id_git_gives_the_content(self, tmp_path: Path) -> None:
        text = CONFIGS["core-1.cfg"]
        assert blob_id(text) == git(tmp_path, "hash-object", "--stdin", input=text).strip()

    def test_the_ids_at_head_are_of_the_configs_asked_and_the_outputs_beside_them(
        self, repo: ConfigRepository
    ) -> None:
        assert repo.blobs_beside({"core-1.cfg"}) == {}
        repo.commit(CONFIGS | {"core-1.version.txt": "Version 1\n"}, "two configs, one output")
        assert repo.blobs_beside({"core-1.cfg", "never-stored.cfg"}) == {
            "core-1.cfg": blob_id(CONFIGS["core-1.cfg"]),
            "core-1.version.txt": blob_id("Version 1\n"),
        }


class TestPlannerAgainstGit:
    def backup(self, text: str) -> Backup:
        return backup_of_text({"id": str(uuid4()), "hostname": "core-1"}, text, uuid4())

    def test_content_git_already_has_for_the_file_is_not_committed_again(self) -> None:
        backup = self.backup(CONFIGS["core-1.cfg"])
        plan = plan_batch([backup], {}, {"core-1.cfg": blob_id(CONFIGS["core-1.cfg"])})
        assert [step.fate for step in plan.steps] == [Fate.ALREADY_IN_GIT] and plan.groups == []

    def test_other_content_for_the_file_is_committed(self) -> None:
        backup = self.backup(CONFIGS["core-1.cfg"])
        plan = plan_batch([backup], {}, {"core-1.cfg": blob_id("hostname core-1\nend\n")})
        assert [step.fate for step in plan.steps] == [Fate.COMMITTED] and len(plan.groups) == 1


class TestArchive:
    def test_an_empty_repository_or_a_time_before_the_first_commit_has_none(
        self, repo: ConfigRepository
    ) -> None:
        assert repo.archive(datetime.now(UTC)) is None
        repo.commit(CONFIGS, "two configs")
        assert repo.archive(datetime.now(UTC) - timedelta(minutes=5)) is None

    def test_the_archive_holds_every_file_of_the_commit_under_configs(
        self, repo: ConfigRepository
    ) -> None:
        commit = repo.commit(CONFIGS, "two configs")

        archive = repo.archive(datetime.now(UTC) + timedelta(seconds=1))

        assert archive is not None and archive.commit == commit.commit
        with tarfile.open(fileobj=io.BytesIO(archive.tar_gz), mode="r:gz") as tar:
            files = {
                member.name: tar.extractfile(member).read().decode()  # type: ignore[union-attr]
                for member in tar.getmembers()
                if member.isfile()
            }
        assert files == {f"configs/{path}": text for path, text in CONFIGS.items()}
