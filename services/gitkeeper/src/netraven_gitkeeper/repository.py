"""The config git repository. Gitkeeper is its only writer; every call here blocks (run it in a thread)."""

import re
from dataclasses import dataclass
from pathlib import Path

from git import Actor, Repo
from git.exc import BadName, GitCommandError

AUTHOR = Actor("NetRaven gitkeeper", "gitkeeper@netraven.local")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class WriteResult:
    commit: str
    changed: bool


def config_path(hostname: str) -> str:
    return _UNSAFE.sub("_", hostname) + ".cfg"


class ConfigRepository:
    def __init__(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self._repo = Repo(path) if (path / ".git").exists() else Repo.init(path, initial_branch="main")
        self._root = path

    def write(self, relative_path: str, text: str, message: str) -> WriteResult:
        """Commit the file if its content changed; otherwise report the commit that last changed it."""
        file = self._root / relative_path
        if file.exists() and file.read_text() == text:
            last = self.last_commit_of(relative_path)
            if last:
                return WriteResult(commit=last, changed=False)
        file.write_text(text)
        self._repo.index.add([relative_path])
        commit = self._repo.index.commit(message, author=AUTHOR, committer=AUTHOR)
        return WriteResult(commit=commit.hexsha, changed=True)

    def last_commit_of(self, relative_path: str) -> str | None:
        try:
            return self._repo.git.log("-1", "--format=%H", "--", relative_path) or None
        except GitCommandError:
            return None

    def read(self, commit: str, relative_path: str) -> str | None:
        try:
            return self._repo.git.show(f"{commit}:{relative_path}", strip_newline_in_stdout=False)
        except (GitCommandError, BadName):
            return None

    def diff(self, old: tuple[str, str], new: tuple[str, str]) -> str | None:
        """Unified diff between two stored files, each named by (commit, path); None if either is missing."""
        try:
            return self._repo.git.diff(
                "--no-color", "--no-ext-diff", "--no-textconv", f"{old[0]}:{old[1]}", f"{new[0]}:{new[1]}",
                strip_newline_in_stdout=False,
            )
        except (GitCommandError, BadName):
            return None

    def paths_containing(self, text: str) -> list[str]:
        """Paths whose content at HEAD contains `text` (fixed string, ignoring case); git grep exits 1 on none."""
        if not self._repo.head.is_valid():
            return []
        try:
            output = self._repo.git.grep("-l", "-i", "-F", "-I", "-e", text, "HEAD")
        except GitCommandError as error:
            if error.status == 1:
                return []
            raise
        return [line.split(":", 1)[1] for line in output.splitlines()]

    def close(self) -> None:
        self._repo.close()
