"""Field types shared by several request schemas and query strings."""

from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator, Field, StringConstraints

BIGINT_MAX = 2**63 - 1

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
TagNames = Annotated[list[Name], Field(default_factory=list, max_length=50)]
# PostgreSQL takes OFFSET as a bigint; nobody pages two billion rows deep.
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]
ROW_ID_PATTERN = r"^\d{1,19}$"


def _fits_bigint(row_id: str) -> str:
    if int(row_id) > BIGINT_MAX:
        raise ValueError("a row id is at most 2^63 - 1")
    return row_id


# A bigint row id sent as a string (a log cursor, an SSE Last-Event-ID): 19 digits can overflow it.
RowId = Annotated[str, AfterValidator(_fits_bigint)]
Cursor = Annotated[RowId, Query(pattern=ROW_ID_PATTERN)]
