"""Raw command output to the config we store: clean, redact, drop noise. Pure functions."""

import re
from dataclasses import dataclass
from functools import cache

from netraven_shared.drivers.fallback import FALLBACK_REDACTIONS
from netraven_shared.drivers.required_text import (
    Words,
    first_line_starts,
    first_line_words,
    leads_with_whitespace,
    may_match,
    required_words,
)
from netraven_shared.drivers.spec import REDACTED, DriverSpec, Output


def clean(raw: str) -> str:
    lines = [line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


MAX_PASSES = 100  # a safety stop for a pattern that keeps matching its own output


@dataclass(frozen=True)
class _CompiledRedaction:
    pattern: re.Pattern[str]
    replacement: str  # a `sub` template: group 1, then the separator and the marker
    marker: str  # the separator and the marker, as text (the template parsed once)
    words: Words  # one of these is in every match; when none is in the text, the rule is skipped
    line_words: Words  # one of these is on a match's first line, which the match starts
    after_blank_lines: bool  # or the match starts on a blank line before that line

    def substitute(self, text: str) -> str:
        """`pattern.sub`, trying only the lines where a match can start when those are known."""
        if self.line_words is None:
            return self.pattern.sub(self.replacement, text)
        pieces: list[str] = []
        done = 0
        for start in first_line_starts(self.line_words, text, self.after_blank_lines):
            match = self.pattern.match(text, start) if start >= done else None
            if match:
                pieces += (text[done:start], match.group(1) or "", self.marker)
                done = match.end()
        return "".join((*pieces, text[done:])) if pieces else text


@cache
def _compiled_redactions(spec: DriverSpec) -> tuple[_CompiledRedaction, ...]:
    """Compiled once per driver: the vendor's rules, then the generic fallback."""
    compiled = []
    for redaction in spec.redactions + FALLBACK_REDACTIONS:
        pattern = redaction.compiled()
        marker = redaction.separator + REDACTED
        replacement = r"\g<1>" + marker.replace("\\", "\\\\")
        words, line_words = required_words(pattern), first_line_words(pattern)
        after_blank_lines = leads_with_whitespace(pattern)
        compiled.append(
            _CompiledRedaction(pattern, replacement, marker, words, line_words, after_blank_lines)
        )
    return tuple(compiled)


def redact(text: str, spec: DriverSpec) -> str:
    """The vendor's rules, then the generic fallback for what they miss; each until nothing
    changes."""
    for redaction in _compiled_redactions(spec):
        # A rule tried at its word lines alone looks for its words there: no need to look twice.
        if redaction.line_words is None and not may_match(redaction.words, text):
            continue
        for _ in range(MAX_PASSES):
            redacted = redaction.substitute(text)
            if redacted == text:
                break
            text = redacted
    return text


@cache
def _noise(spec: DriverSpec) -> re.Pattern[str] | None:
    """One alternation matches a line where any of the vendor's noise patterns would."""
    if not spec.noise:
        return None
    return re.compile("|".join(f"(?:{pattern})" for pattern in spec.noise))


def strip_noise(text: str, spec: DriverSpec) -> str:
    noise = _noise(spec)
    lines = text.split("\n")
    kept = lines if noise is None else [line for line in lines if not noise.match(line)]
    return clean("\n".join(kept))


def stored_config(raw: str, spec: DriverSpec) -> str:
    return strip_noise(redact(clean(raw), spec), spec)


@cache
def _output_noise(output: Output) -> re.Pattern[str] | None:
    if not output.noise:
        return None
    return re.compile("|".join(f"(?:{pattern})" for pattern in output.noise))


def stored_output(raw: str, spec: DriverSpec, output: Output) -> str:
    """An extra output (`show version`, ...) through the config's pipeline, then its own noise."""
    text = stored_config(raw, spec)
    noise = _output_noise(output)
    if noise is None:
        return text
    return clean("\n".join(line for line in text.split("\n") if not noise.match(line)))
