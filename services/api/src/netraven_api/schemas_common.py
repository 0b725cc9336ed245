"""Field types shared by several request schemas."""

from typing import Annotated

from pydantic import Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
TagNames = Annotated[list[Name], Field(default_factory=list, max_length=50)]
