"""Commit messages that carry the version index: after a crash, git alone can rebuild the missing
rows.

One `Config:` line per file in the commit (a batch commit holds many devices):

    Config: <device_id> run=<run_id or -> sha256=<hex> size=<bytes> at=<ISO time>
        [outputs=<hex>] path=<file>     (on one line)

`sha256` and `size` are the config's; `outputs` is the digest of the backup's extra outputs
(`planner.outputs_digest`), absent when it has none, so a version rebuilt from git is recognised as
the same backup as the one the writer indexed.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

PREFIX = "Config: "


@dataclass(frozen=True)
class StoredFile:
    device_id: UUID
    hostname: str
    run_id: UUID | None
    sha256: str
    size_bytes: int
    stored_at: datetime
    path: str
    outputs_sha256: str | None = None


def commit_message(files: list[StoredFile], subject: str | None = None) -> str:
    if subject is None and len(files) == 1:
        subject = f"{files[0].hostname}: config backup (run {files[0].run_id or '-'})"
    elif subject is None:
        subject = f"config backup of {len(files)} devices"
    return "\n".join([subject, "", *(_line(file) for file in files)]) + "\n"


def _line(file: StoredFile) -> str:
    return (
        f"{PREFIX}{file.device_id} run={file.run_id or '-'} sha256={file.sha256}"
        f" size={file.size_bytes} at={file.stored_at.isoformat()}"
        + (f" outputs={file.outputs_sha256}" if file.outputs_sha256 else "")
        + f" path={file.path}"
    )


def parse_files(message: str) -> list[StoredFile]:
    """The files a commit message declares; lines that are not ours (a hand-made commit) are
    skipped."""
    files = []
    for line in message.splitlines():
        if not line.startswith(PREFIX):
            continue
        device, *pairs = line.removeprefix(PREFIX).split(" ")
        try:
            fields = dict(pair.split("=", 1) for pair in pairs)
            files.append(
                StoredFile(
                    device_id=UUID(device),
                    hostname="",
                    run_id=None if fields["run"] == "-" else UUID(fields["run"]),
                    sha256=fields["sha256"],
                    size_bytes=int(fields["size"]),
                    stored_at=datetime.fromisoformat(fields["at"]),
                    path=fields["path"],
                    outputs_sha256=fields.get("outputs"),
                )
            )
        except (KeyError, ValueError):
            continue
    return files
