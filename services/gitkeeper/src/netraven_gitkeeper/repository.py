"""The config git repository. Gitkeeper is its only writer; every call here blocks (run it in a thread).

The work tree always matches HEAD between commits (`restore_work_tree` puts it back after a crash), so a
file's content on disk is its newest committed version.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from netraven_gitkeeper.git_cli import DURABLE, GitCli, GitError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_FILE_DIFF = re.compile(r"^diff --git a/(\S+) b/", re.MULTILINE)
_NO_FANCY_DIFF = ("--no-color", "--no-ext-diff", "--no-textconv", "--no-renames")


@dataclass(frozen=True)
class Commit:
    commit: str
    diffs: dict[str, str]  # path -> unified diff of that file against the parent commit


@dataclass(frozen=True)
class LoggedCommit:
    commit: str
    message: str
    changed_lines: dict[str, int]  # path -> added + removed lines


def config_path(hostname: str) -> str:
    return _UNSAFE.sub("_", hostname) + ".cfg"


def split_diff(text: str) -> dict[str, str]:
    """One multi-file unified diff into the diff of each file, by its `diff --git` header."""
    starts = [(match.start(), match.group(1)) for match in _FILE_DIFF.finditer(text)]
    ends = [start for start, _ in starts[1:]] + [len(text)]
    return {path: text[start:end] for (start, path), end in zip(starts, ends, strict=True)}


class ConfigRepository:
    def __init__(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.root = path
        self._git = GitCli(path)
        if not (path / ".git").exists():
            self._git.run("init", "-q", "-b", "main")

    def head(self) -> str | None:
        return self._git.run("rev-parse", "-q", "--verify", "HEAD^{commit}", ok_statuses=(0, 1)).strip() or None

    def current_text(self, relative_path: str) -> str | None:
        file = self.root / relative_path
        return file.read_text() if file.exists() else None

    def commit(self, files: dict[str, str], message: str) -> Commit:
        """One commit holding every file given; each must differ from its committed content."""
        for relative_path, text in files.items():
            (self.root / relative_path).write_text(text)
        paths = "\0".join(files).encode()
        self._git.run(*DURABLE, "add", "--pathspec-from-file=-", "--pathspec-file-nul", input=paths)
        self._git.run(*DURABLE, "commit", "-q", "--no-verify", "-F", "-", input=message.encode())
        shown = self._git.run("show", "--format=%H", *_NO_FANCY_DIFF, "-p", "HEAD")
        commit, _, diff = shown.partition("\n")
        return Commit(commit=commit.strip(), diffs=split_diff(diff))

    def diff_in_commit(self, commit: str, relative_path: str) -> str:
        """The file's diff against the commit's parent, as `commit` produced it."""
        return self._git.run("show", "--format=", *_NO_FANCY_DIFF, commit, "--", relative_path)

    def last_commit_of(self, relative_path: str) -> str | None:
        return self._git.run("log", "-1", "--format=%H", "--", relative_path).strip() or None

    def read(self, commit: str, relative_path: str) -> str | None:
        try:
            return self._git.run("show", f"{commit}:{relative_path}")
        except GitError:
            return None

    def diff(self, old: tuple[str, str], new: tuple[str, str]) -> str | None:
        """Unified diff between two stored files, each named by (commit, path); None if either is missing."""
        try:
            return self._git.run("diff", *_NO_FANCY_DIFF, f"{old[0]}:{old[1]}", f"{new[0]}:{new[1]}")
        except GitError:
            return None

    def paths_containing(self, text: str) -> list[str]:
        """Paths whose content at HEAD contains `text` (fixed string, ignoring case); git grep exits 1 on none."""
        if self.head() is None:
            return []
        output = self._git.run("grep", "-l", "-i", "-F", "-I", "-e", text, "HEAD", ok_statuses=(0, 1))
        return [line.split(":", 1)[1] for line in output.splitlines()]

    def reachable_commits(self) -> list[str]:
        """Every commit of the history, newest first."""
        if self.head() is None:
            return []
        return self._git.run("rev-list", "HEAD").split()

    def logged(self, commits: list[str]) -> list[LoggedCommit]:
        """Message and changed lines per file of each commit, in the order given."""
        if not commits:
            return []
        output = self._git.run(
            "log", "--no-walk=unsorted", "--stdin", "--format=%x1e%H%x00%B%x00", "--numstat", "--no-renames",
            input="\n".join(commits).encode(),
        )
        return [_parse_logged(chunk) for chunk in output.split("\x1e")[1:]]

    def restore_work_tree(self) -> None:
        """Drop what a crash left half-written: the work tree goes back to HEAD."""
        if self.head() is not None:
            self._git.run("reset", "-q", "--hard", "HEAD")
        self._git.run("clean", "-f", "-q", "--", "*.cfg")


def _parse_logged(chunk: str) -> LoggedCommit:
    commit, message, numstat = chunk.split("\x00", 2)
    changed: dict[str, int] = {}
    for line in numstat.strip().splitlines():
        added, removed, path = line.split("\t", 2)
        changed[path] = (int(added) if added.isdigit() else 0) + (int(removed) if removed.isdigit() else 0)
    return LoggedCommit(commit=commit, message=message, changed_lines=changed)
