"""Raw command output to the config we store: clean, redact, drop noise. Pure functions."""

import re

from netraven_shared.drivers.fallback import FALLBACK_REDACTIONS
from netraven_shared.drivers.spec import REDACTED, DriverSpec


def clean(raw: str) -> str:
    lines = [line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


MAX_PASSES = 100  # a safety stop for a pattern that keeps matching its own output


def redact(text: str, spec: DriverSpec) -> str:
    """The vendor's rules, then the generic fallback for what they miss."""
    for redaction in spec.redactions + FALLBACK_REDACTIONS:
        pattern, marker = redaction.compiled(), redaction.separator + REDACTED
        for _ in range(MAX_PASSES):
            redacted = pattern.sub(lambda match: match.group(1) + marker, text)  # noqa: B023  (used at once)
            if redacted == text:
                break
            text = redacted
    return text


def strip_noise(text: str, spec: DriverSpec) -> str:
    noise = [re.compile(pattern) for pattern in spec.noise]
    kept = [line for line in text.split("\n") if not any(p.match(line) for p in noise)]
    return clean("\n".join(kept))


def stored_config(raw: str, spec: DriverSpec) -> str:
    return strip_noise(redact(clean(raw), spec), spec)
