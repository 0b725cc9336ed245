"""A device's facts (model, serial number, OS version) read from its stored outputs. Pure.

A driver names, for each fact, the output it is read from and a pattern whose group 1 is the value;
the first match wins. Facts are read from the stored texts, after redaction: no fact can carry a
secret the pipeline removed. A fact whose output is missing or whose pattern does not match is
left out, never guessed.
"""

import re
from functools import cache

from netraven_shared.drivers.spec import DriverSpec

FACT_MAX_CHARS = 100  # a value longer than this is cut: it fills a device column and a list cell


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.MULTILINE)


def parse_facts(spec: DriverSpec, texts: dict[str, str]) -> dict[str, str]:
    """The facts `spec` finds in `texts` (output name, or "config", to its stored text)."""
    found: dict[str, str] = {}
    for fact in spec.facts:
        text = texts.get(fact.output)
        match = _compiled(fact.pattern).search(text) if text else None
        value = (match.group(1) or "").strip() if match else ""
        if value:
            found[fact.name] = value[:FACT_MAX_CHARS]
    return found
