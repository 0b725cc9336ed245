"""Where each git mirror of the config repository stands, in the `netraven-mirrors` KV bucket.

Gitkeeper writes one entry per configured mirror after every push attempt (and when commits are
made while a mirror is failing); the api's `GET /api/mirrors` reads them. An entry carries no
secret: the remote is shown with any token or password removed.
"""

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from netraven_shared.bus_streams import MIRRORS_BUCKET

__all__ = ["MIRRORS_BUCKET", "MirrorState", "MirrorStatus", "mirror_key"]
MirrorState = Literal["pending", "ok", "failing"]
_NOT_A_KEY_CHARACTER = re.compile(r"[^-_=.a-zA-Z0-9]")


class MirrorStatus(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "name": "github",
                    "remote": "ssh://git@github.com/acme/network-configs.git",
                    "branch": "main",
                    "state": "failing",
                    "last_success_at": "2026-12-05T20:00:00Z",
                    "last_pushed_commit": "3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e",
                    "last_error": "ssh: connect to host github.com port 22: Connection timed out",
                    "failing_since": "2026-12-05T20:04:00Z",
                    "attempts": 3,
                    "commits_waiting": 4,
                    "updated_at": "2026-12-05T20:05:00Z",
                }
            ]
        },
    )

    name: str = Field(max_length=100)
    remote: str = Field(max_length=500, description="The remote's URL with any secret removed")
    branch: str = Field(max_length=255, description="The branch pushed to on the remote")
    state: MirrorState = Field(
        description="pending: no push tried yet; ok: the last push succeeded; failing: it did not"
    )
    last_success_at: datetime | None = None
    last_pushed_commit: str | None = Field(default=None, max_length=64)
    last_error: str | None = Field(default=None, max_length=2000)
    failing_since: datetime | None = None
    attempts: int = Field(ge=0, description="Failed attempts in the current streak")
    commits_waiting: int = Field(ge=0, description="Commits made since the last good push")
    updated_at: datetime


def mirror_key(name: str) -> str:
    """NATS KV keys allow letters, digits and `-_=.`: anything else in a mirror name becomes `_`."""
    return _NOT_A_KEY_CHARACTER.sub("_", name)
