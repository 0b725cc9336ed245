"""Request/reply contract: the api asks gitkeeper for the whole config tree as it was at a point in
time (`subjects.CONFIG_ARCHIVE`), as a `.tar.gz` of the newest commit at or before `at`.

The archive never rides in the reply: gitkeeper puts it in the reply object store (see
`config_transport`) under its sha256 and names it in `archive_object`. A request gitkeeper cannot
read is answered at once with `error` set (`config_read.RequestRefused`).
"""

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class ConfigArchiveRequest(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={"examples": [{"at": "2026-12-01T12:00:00Z"}]},
    )

    at: AwareDatetime


class ConfigArchiveReply(BaseModel):
    """`found` is false when the repository has no commit at or before `at`."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "found": True,
                    "commit": "9d41be07" + "0" * 32,
                    "committed_at": "2026-12-01T11:58:02Z",
                    "archive_object": "0" * 64,
                    "size_bytes": 20480,
                },
                {"found": False},
            ]
        },
    )

    found: bool
    commit: str | None = None
    committed_at: datetime | None = None
    archive_object: str | None = Field(
        default=None, description="The archive's name in the reply object store (its sha256)"
    )
    size_bytes: int | None = None
    error: str | None = None
