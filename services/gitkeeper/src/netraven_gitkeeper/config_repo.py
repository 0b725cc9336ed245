"""The config git repository. Gitkeeper is its only writer; every call here blocks (run it in a
thread).

A new repository is bare: configs live only in git's objects, and a commit is one `git fast-import`
(one pack of the batch's blobs, tree and commit, then the branch ref, each fsynced) rather than a
file, an index entry and a loose object per config. A file's newest committed content is read from
HEAD.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from netraven_gitkeeper.git_cli import DURABLE, IDENTITY, GitCli, GitError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_FILE_DIFF = re.compile(r"^diff --git a/(\S+) b/", re.MULTILINE)
MAINTENANCE_EVERY_COMMITS = 10
_NO_FANCY_DIFF = ("--no-color", "--no-ext-diff", "--no-textconv", "--no-renames")


@dataclass(frozen=True)
class Commit:
    commit: str
    diffs: dict[str, str]  # path -> unified diff of that file against the parent commit


@dataclass(frozen=True)
class Archive:
    commit: str
    committed_at: datetime
    tar_gz: bytes


@dataclass(frozen=True)
class LoggedCommit:
    commit: str
    message: str
    changed_lines: dict[str, int]  # path -> added + removed lines


def config_path(hostname: str) -> str:
    return _UNSAFE.sub("_", hostname) + ".cfg"


def output_path(config: str, output: str) -> str:
    """The file of a driver's extra output beside its config: `core-sw-01.version.txt`."""
    return f"{config.removesuffix('.cfg')}.{output}.txt"


def output_name(path: str) -> str:
    """The name of the output an output file holds: `version` for `core-sw-01.version.txt`."""
    return path.removesuffix(".txt").rsplit(".", 1)[1]


def config_beside(path: str) -> str:
    """The config file an output's file is beside; a config file itself. An output's name holds no
    dot, so the last one before `.txt` starts it, whatever dots the hostname has."""
    if not path.endswith(".txt") or "." not in path.removesuffix(".txt"):
        return path
    return path.removesuffix(".txt").rsplit(".", 1)[0] + ".cfg"


def blob_id(text: str) -> str:
    """The id git gives a file of this content: equal ids, equal contents, without reading the
    file."""
    content = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


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
        if not (path / ".git").exists() and not (path / "HEAD").exists():
            self._git.run("init", "-q", "--bare", "-b", "main")
        self._branch = self._git.run("symbolic-ref", "HEAD").strip()
        self._has_commits = False  # once true, stays so: a branch tip is never taken away
        self._commits_made = 0

    def head(self) -> str | None:
        return (
            self._git.run(
                "rev-parse", "-q", "--verify", "HEAD^{commit}", ok_statuses=(0, 1)
            ).strip()
            or None
        )

    def _born(self) -> bool:
        """Whether the branch has a commit; asked of git only until it has one."""
        self._has_commits = self._has_commits or self.head() is not None
        return self._has_commits

    def paths_at_head(self) -> list[str]:
        if self.head() is None:
            return []
        return [
            path
            for path in self._git.run("ls-tree", "-z", "--name-only", "HEAD").split("\0")
            if path
        ]

    def blobs_beside(self, configs: set[str]) -> dict[str, str]:
        """The blob id at HEAD of each of these config files and of the output files beside them
        (one `ls-tree` of the whole tree: an output's name is not known before it is listed)."""
        if not configs or not self._born():
            return {}
        entries = (
            entry.split("\t", 1)
            for entry in self._git.run("ls-tree", "-z", "HEAD").split("\0")
            if entry
        )
        return {
            path: mode_type_oid.split()[2]
            for mode_type_oid, path in entries
            if config_beside(path) in configs
        }

    def commit(self, files: dict[str, str], message: str, removed: Sequence[str] = ()) -> Commit:
        """One commit writing every file given and removing every path in `removed`; each change
        must change the tree."""
        # `<branch>^0`: the tip as it is when fast-import reads it (we hold the repository lock)
        parent = f"{self._branch}^0" if self._born() else None
        stream = _fast_import_commit(self._branch, parent, files, removed, message)
        self._git.run(
            *DURABLE, "fast-import", "--quiet", "--done", "--date-format=now", input=stream
        )
        self._has_commits = True
        self._commits_made += 1
        if self._commits_made % MAINTENANCE_EVERY_COMMITS == 0:
            # what `git commit` does after each commit: merge packs once there are many (in the
            # background); each commit adds one pack, and git waits for 50 before merging them
            self._git.run("maintenance", "run", "--auto", "--quiet")
        shown = self._git.run("show", "--format=%H", *_NO_FANCY_DIFF, "-p", self._branch)
        commit, _, diff = shown.partition("\n")
        return Commit(commit=commit.strip(), diffs=split_diff(diff))

    def diff_in_commit(self, commit: str, relative_path: str) -> str:
        """The file's diff against the commit's parent, as `commit` produced it."""
        return self._git.run("show", "--format=", *_NO_FANCY_DIFF, commit, "--", relative_path)

    def last_commit_beside(self, config: str) -> str | None:
        """The newest commit that changed this config file or any output file beside it (a
        hostname holds no glob character: `config_path` keeps letters, digits, `.`, `_`, `-`)."""
        outputs = f":(glob){output_path(config, '*')}"
        return self._git.run("log", "-1", "--format=%H", "--", config, outputs).strip() or None

    def read(self, commit: str, relative_path: str) -> str | None:
        try:
            return self._git.run("show", f"{commit}:{relative_path}")
        except GitError:
            return None

    def diff(self, old: tuple[str, str], new: tuple[str, str]) -> str | None:
        """Unified diff between two stored files, each named by (commit, path); None if either is
        missing."""
        try:
            return self._git.run(
                "diff", *_NO_FANCY_DIFF, f"{old[0]}:{old[1]}", f"{new[0]}:{new[1]}"
            )
        except GitError:
            return None

    def paths_containing(self, text: str) -> list[str]:
        """Paths whose content at HEAD contains `text` (fixed string, ignoring case); git grep exits
        1 on none."""
        if self.head() is None:
            return []
        output = self._git.run(
            "grep", "-l", "-i", "-F", "-I", "-e", text, "HEAD", ok_statuses=(0, 1)
        )
        return [line.split(":", 1)[1] for line in output.splitlines()]

    def archive(self, at: datetime) -> Archive | None:
        """The whole tree of the newest commit at or before `at` (git dates commits to the second)
        as a `.tar.gz` whose files sit in `configs/`; None when no commit is that old."""
        if self.head() is None:
            return None
        before = f"--before=@{int(at.timestamp())}"
        newest = self._git.run("log", "-1", before, "--format=%H %ct", "HEAD").split()
        if not newest:
            return None
        commit, committed = newest
        tar_gz = self._git.run_binary("archive", "--format=tar.gz", "--prefix=configs/", commit)
        return Archive(commit, datetime.fromtimestamp(int(committed), UTC), tar_gz)

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
            "log",
            "--no-walk=unsorted",
            "--stdin",
            "--format=%x1e%H%x00%B%x00",
            "--numstat",
            "--no-renames",
            input="\n".join(commits).encode(),
        )
        return [_parse_logged(chunk) for chunk in output.split("\x1e")[1:]]


def _parse_logged(chunk: str) -> LoggedCommit:
    commit, message, numstat = chunk.split("\x00", 2)
    changed: dict[str, int] = {}
    for line in numstat.strip().splitlines():
        added, removed, path = line.split("\t", 2)
        changed[path] = (int(added) if added.isdigit() else 0) + (
            int(removed) if removed.isdigit() else 0
        )
    return LoggedCommit(commit=commit, message=message, changed_lines=changed)


def _fast_import_commit(
    branch: str, parent: str | None, files: dict[str, str], removed: Sequence[str], message: str
) -> bytes:
    """A `git fast-import` stream of one commit on `branch`, after `parent` (a commit-ish), with
    every file inline."""
    committer = f"{IDENTITY['GIT_COMMITTER_NAME']} <{IDENTITY['GIT_COMMITTER_EMAIL']}> now"
    parts = [f"commit {branch}\ncommitter {committer}\n".encode(), _data(message.encode())]
    if parent is not None:
        parts.append(f"from {parent}\n".encode())
    for path, text in files.items():
        parts += [f"M 100644 inline {path}\n".encode(), _data(text.encode())]
    parts += [f"D {path}\n".encode() for path in removed]
    parts.append(b"done\n")
    return b"".join(parts)


def _data(content: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(content), content)
