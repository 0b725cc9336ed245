"""Request/reply contracts: the api asks gitkeeper, the only owner of the config repo, about stored
configs.

Each request has its own subject (`subjects.CONFIG_READ`, `CONFIG_DIFF`, `CONFIG_SEARCH`). Texts
that may be large (a config, a diff) travel in `config_text` / `config_object` as `config_transport`
describes. A request gitkeeper cannot read (invalid JSON, wrong schema) is answered at once with
`error` set.
"""

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

COMMIT_PATTERN = r"^[0-9a-f]{7,40}$"
OUTPUT_NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,29}$"  # a driver's extra output: `version`, `inventory`
SEARCH_MAX_DEVICES = 200
SEARCH_TEXT_PATTERN = r"^[^\x00]+$"  # no NUL: git cannot take it as an argument
SEARCH_MAX_MATCHES_PER_DEVICE = 20
SEARCH_CONTEXT_LINES = 2


class RequestRefused(BaseModel):
    """Gitkeeper's answer to a request it cannot read: every reply model reads it as `found=False`
    (or no results) with `error` set, so the requester learns at once instead of at its timeout."""

    found: bool = False
    error: str


class ConfigReadRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    device_id: UUID
    commit: str = Field(pattern=COMMIT_PATTERN)
    # one of the driver's extra outputs, stored beside the config at that version; None: the config
    output: str | None = Field(default=None, pattern=OUTPUT_NAME_PATTERN)


class ConfigReadReply(BaseModel):
    """Exactly one of `config_text` / `config_object` is set when `found`; see config_transport."""

    model_config = ConfigDict(extra="ignore")

    found: bool
    config_text: str | None = None
    config_object: str | None = None
    sha256: str | None = None
    size_bytes: int | None = None
    error: str | None = None


class ConfigDiffRequest(BaseModel):
    """The unified diff of one device's config between two of its versions (`from_commit` →
    `to_commit`)."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "device_id": "0b8c1c6e-3a55-4a8e-9a40-6f1f4d6f2a10",
                    "from_commit": "3f2a9c1",
                    "to_commit": "9d41be07",
                },
            ]
        },
    )

    device_id: UUID
    from_commit: str = Field(pattern=COMMIT_PATTERN)
    to_commit: str = Field(pattern=COMMIT_PATTERN)
    output: str | None = Field(default=None, pattern=OUTPUT_NAME_PATTERN)


class ConfigDiffReply(BaseModel):
    """When `found`, the diff text is in `config_text` or `config_object` (same transport as a
    config text)."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "found": True,
                    "from_commit": "3f2a9c1e" + "0" * 32,
                    "to_commit": "9d41be07" + "0" * 32,
                    "added": 1,
                    "removed": 1,
                    "config_text": (
                        "--- a/r1.cfg\n+++ b/r1.cfg\n@@ -1 +1 @@\n-hostname r1\n+hostname r1-new\n"
                    ),
                    "config_object": None,
                    "sha256": "0" * 64,
                    "size_bytes": 68,
                },
                {"found": False},
            ]
        },
    )

    found: bool
    from_commit: str | None = None
    to_commit: str | None = None
    added: int = 0
    removed: int = 0
    config_text: str | None = None
    config_object: str | None = None
    sha256: str | None = None
    size_bytes: int | None = None
    error: str | None = None


class ConfigSearchRequest(BaseModel):
    """Find `query` (a fixed string, case-insensitive) in the latest config of every device."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={"examples": [{"query": "snmp-server community", "limit": 50}]},
    )

    query: str = Field(min_length=2, max_length=200, pattern=SEARCH_TEXT_PATTERN)
    limit: int = Field(default=50, ge=1, le=SEARCH_MAX_DEVICES)


class SearchMatch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    line_number: int
    line: str
    before: list[str]
    after: list[str]


class DeviceMatches(BaseModel):
    model_config = ConfigDict(extra="ignore")

    device_id: UUID
    commit: str
    matches: list[SearchMatch]


class ConfigSearchReply(BaseModel):
    """At most `limit` devices, at most `SEARCH_MAX_MATCHES_PER_DEVICE` matches each; `truncated`
    says when more exist."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "results": [
                        {
                            "device_id": "0b8c1c6e-3a55-4a8e-9a40-6f1f4d6f2a10",
                            "commit": "9d41be07" + "0" * 32,
                            "matches": [
                                {
                                    "line_number": 12,
                                    "line": "snmp-server community <redacted> RO",
                                    "before": ["!", "logging host 10.0.0.5"],
                                    "after": ["!", "end"],
                                },
                            ],
                        }
                    ],
                    "truncated": False,
                },
            ]
        },
    )

    results: list[DeviceMatches] = Field(default_factory=list)
    truncated: bool = False
    error: str | None = None
