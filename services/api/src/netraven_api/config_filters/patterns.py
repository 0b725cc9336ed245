"""What an operator may save as a filter pattern: a driver file's rules, bounded.

The rules themselves are a driver file's (`RedactionEntry`: compiles, has a group 1; noise:
compiles), reused, not copied. Operator patterns run on every backup of every device in their
scope, so guards come on top: a length bound; a refusal of the one shape that backtracks
exponentially in practice, a quantified group whose body ends in a quantifier (`(a+)+`, `(x*)*`);
and a refusal of a redaction that matches its own `<redacted>` marker (`(.)`), which would never
stop (the pipeline also stops one that grows the text: `RunawayRedaction`).
"""

import re
from typing import Annotated, Self

from netraven_shared.drivers.driver_file import RedactionEntry, checked_regex
from netraven_shared.drivers.pipeline import redacts_its_own_marker
from netraven_shared.drivers.spec import REDACTED, Redaction
from pydantic import AfterValidator, Field, model_validator

MAX_PATTERN_CHARS = 500
MAX_PATTERNS = 50
_NESTED_QUANTIFIER = re.compile(r"[+*}]\)[+*{]")


def bounded_regex(pattern: str) -> str:
    checked_regex(pattern)
    if _NESTED_QUANTIFIER.search(pattern):
        raise ValueError(
            "a quantified group ending in a quantifier (like `(a+)+`) can take exponential time: "
            "drop the inner or the outer quantifier"
        )
    return pattern


class FilterRedaction(RedactionEntry):
    """Group 1 is kept, the rest of the match becomes `<separator><redacted>`."""

    pattern: Annotated[
        str,
        Field(min_length=1, max_length=MAX_PATTERN_CHARS),
        AfterValidator(bounded_regex),
    ]
    separator: str = Field(default=" ", max_length=10)

    @model_validator(mode="after")
    def _stops(self) -> Self:
        if redacts_its_own_marker(Redaction(self.pattern, self.separator)):
            raise ValueError(
                f"matches its own {REDACTED} marker, so it would redact it again and again: "
                "anchor it on the text before the secret"
            )
        return self


NoisePattern = Annotated[
    str, Field(min_length=1, max_length=MAX_PATTERN_CHARS), AfterValidator(bounded_regex)
]
Redactions = Annotated[list[FilterRedaction], Field(default_factory=list, max_length=MAX_PATTERNS)]
NoisePatterns = Annotated[list[NoisePattern], Field(default_factory=list, max_length=MAX_PATTERNS)]
