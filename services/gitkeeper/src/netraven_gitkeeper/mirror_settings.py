"""The git remotes gitkeeper mirrors the config repository to, from its settings.

One mirror from `NETRAVEN_GIT_MIRROR_URL` (with `..._SSH_KEY_FILE` and `..._KNOWN_HOSTS_FILE`, or
`..._TOKEN_FILE`), more from the YAML list in `NETRAVEN_GIT_MIRRORS_FILE`. Everything that would
only fail at the first push is refused at start instead: an SSH remote without a pinned host key
or a deploy key, a file gitkeeper cannot read, a token written into the URL, two mirrors of one
name.
"""

import os
import re
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SINGLE_MIRROR_NAME = "mirror"
_SCP_LIKE = re.compile(r"^[^/:@]+@[^/:]+:")


class Transport(StrEnum):
    SSH = "ssh"
    HTTP = "http"
    FILE = "file"


def transport_of(url: str) -> Transport:
    scheme = urlsplit(url).scheme
    if scheme == "ssh" or (scheme == "" and _SCP_LIKE.match(url)):
        return Transport.SSH
    if scheme in ("https", "http"):
        return Transport.HTTP
    if scheme == "file":
        return Transport.FILE
    raise ValueError(
        f"mirror URL {remote_display(url)!r}: use ssh://, user@host:path, https:// or file://"
    )


def remote_display(url: str) -> str:
    """The URL with any password or token removed (an scp-like SSH address holds none)."""
    parts = urlsplit(url)
    if not parts.scheme or parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


class Mirror(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    # a name is part of a ref (refs/netraven/mirrors/<name>) and of a lock file's name
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    url: str = Field(min_length=1, max_length=500)
    ssh_key_file: Path | None = None
    known_hosts_file: Path | None = None
    token_file: Path | None = None
    branch: str = Field(
        default="main", max_length=255, pattern=r"^[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)*$"
    )

    @property
    def transport(self) -> Transport:
        return transport_of(self.url)

    @property
    def username(self) -> str | None:
        return urlsplit(self.url).username if "://" in self.url else None

    @property
    def remote(self) -> str:
        return remote_display(self.url)

    @model_validator(mode="after")
    def _refuse_what_cannot_push(self) -> "Mirror":
        where = f"mirror {self.name!r} ({self.remote})"
        transport = self.transport
        if urlsplit(self.url).password is not None:
            raise ValueError(
                f"{where}: the URL holds a password or token; remove it and put the token in "
                "token_file (NETRAVEN_GIT_MIRROR_TOKEN_FILE)"
            )
        if transport == Transport.SSH and (
            self.ssh_key_file is None or self.known_hosts_file is None
        ):
            raise ValueError(
                f"{where}: an SSH remote needs ssh_key_file (the deploy key) and known_hosts_file "
                "(the server's pinned host key): host keys are always checked"
            )
        if transport != Transport.SSH and (self.ssh_key_file or self.known_hosts_file):
            raise ValueError(f"{where}: ssh_key_file and known_hosts_file are for SSH remotes only")
        if self.token_file and urlsplit(self.url).scheme != "https":
            raise ValueError(f"{where}: token_file is for https:// remotes only")
        for file in (self.ssh_key_file, self.known_hosts_file, self.token_file):
            if file is not None:
                _refuse_unreadable(where, file)
        if self.ssh_key_file is not None:
            _refuse_open_key(where, self.ssh_key_file)
        return self


def _refuse_unreadable(where: str, file: Path) -> None:
    try:
        with file.open("rb") as handle:
            handle.read(1)
    except OSError as error:
        raise ValueError(f"{where}: cannot read {file}: {error.strerror}") from None


def _refuse_open_key(where: str, key: Path) -> None:
    """ssh refuses a key of its own user that others may read; say so now, not at each push."""
    status = key.stat()
    if status.st_uid == os.getuid() and status.st_mode & 0o077:
        raise ValueError(f"{where}: {key} may be read by others and ssh refuses it: chmod 600 it")


def single_mirror(
    url: str | None,
    ssh_key_file: Path | None,
    known_hosts_file: Path | None,
    token_file: Path | None,
) -> list[Mirror]:
    """The mirror `NETRAVEN_GIT_MIRROR_URL` and its credential settings describe, if set."""
    if url is None:
        return []
    return [
        _mirror(
            {
                "name": SINGLE_MIRROR_NAME,
                "url": url,
                "ssh_key_file": ssh_key_file,
                "known_hosts_file": known_hosts_file,
                "token_file": token_file,
            },
            "NETRAVEN_GIT_MIRROR_URL",
        )
    ]


def mirrors_from_file(path: Path) -> list[Mirror]:
    """The YAML list of mirrors in `path`; relative file names in it are relative to its folder."""
    try:
        entries = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(f"NETRAVEN_GIT_MIRRORS_FILE {path}: {error}") from None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ValueError(f"NETRAVEN_GIT_MIRRORS_FILE {path}: expected a YAML list of mappings")
    for entry in entries:
        for key in ("ssh_key_file", "known_hosts_file", "token_file"):
            if entry.get(key):
                entry[key] = path.parent / str(entry[key])
    return [_mirror(entry, f"NETRAVEN_GIT_MIRRORS_FILE {path}") for entry in entries]


def _mirror(entry: dict[str, Any], source: str) -> Mirror:
    try:
        return Mirror.model_validate(entry)
    except ValidationError as error:
        problems = "; ".join(
            problem["msg"].removeprefix("Value error, ") for problem in error.errors()
        )
        raise ValueError(f"{source}: {problems}") from None


def refuse_duplicate_names(mirrors: list[Mirror]) -> list[Mirror]:
    names = [mirror.name for mirror in mirrors]
    if duplicates := sorted({name for name in names if names.count(name) > 1}):
        raise ValueError(
            f"two git mirrors share the name {', '.join(duplicates)}: names must differ"
        )
    return mirrors
