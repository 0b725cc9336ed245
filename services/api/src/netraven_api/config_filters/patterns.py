"""What an operator may save as a filter pattern: a driver file's rules, bounded.

The rules themselves are a driver file's (`RedactionEntry`: compiles, has a group 1; noise:
compiles), reused, not copied. Operator patterns run on every backup of every device in their
scope, so two guards come on top: a length bound, and a refusal of the one shape that backtracks
exponentially in practice, a quantified group whose body ends in a quantifier (`(a+)+`, `(x*)*`).
"""

import re
from typing import Annotated

from netraven_shared.drivers.driver_file import RedactionEntry, checked_regex
from pydantic import AfterValidator, Field

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


NoisePattern = Annotated[
    str, Field(min_length=1, max_length=MAX_PATTERN_CHARS), AfterValidator(bounded_regex)
]
Redactions = Annotated[list[FilterRedaction], Field(default_factory=list, max_length=MAX_PATTERNS)]
NoisePatterns = Annotated[list[NoisePattern], Field(default_factory=list, max_length=MAX_PATTERNS)]
