"""Raw command output to the config we store: clean, redact, drop noise. Pure functions.

The driver's rules (and the generic fallback) come first; the operator's filters (table
`config_filters`, read by the worker) follow, each filter's redactions then its noise. Compiled
rules are cached by their patterns, so a new filter version compiles once and an old one ages out.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from netraven_shared.drivers.fallback import FALLBACK_REDACTIONS
from netraven_shared.drivers.required_text import (
    Words,
    first_line_starts,
    first_line_words,
    leads_with_whitespace,
    may_match,
    required_words,
)
from netraven_shared.drivers.spec import REDACTED, DriverSpec, OperatorFilter, Output, Redaction


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


@lru_cache(maxsize=512)  # every driver's rules, and the operator filters' recent versions
def compiled_redactions(redactions: tuple[Redaction, ...]) -> tuple[_CompiledRedaction, ...]:
    compiled = []
    for redaction in redactions:
        pattern = redaction.compiled()
        marker = redaction.separator + REDACTED
        replacement = r"\g<1>" + marker.replace("\\", "\\\\")
        words, line_words = required_words(pattern), first_line_words(pattern)
        after_blank_lines = leads_with_whitespace(pattern)
        compiled.append(
            _CompiledRedaction(pattern, replacement, marker, words, line_words, after_blank_lines)
        )
    return tuple(compiled)


class RunawayRedaction(ValueError):
    """A rule that keeps matching its own output (`(.)` redacts each character of its marker
    again): the text would grow without bound."""


def redact_with(
    text: str, rules: tuple[_CompiledRedaction, ...], max_chars: int | None = None
) -> str:
    """Each rule in order, each until nothing changes; past `max_chars`, `RunawayRedaction`."""
    for redaction in rules:
        # A rule tried at its word lines alone looks for its words there: no need to look twice.
        if redaction.line_words is None and not may_match(redaction.words, text):
            continue
        for _ in range(MAX_PASSES):
            redacted = redaction.substitute(text)
            if redacted == text:
                break
            if max_chars is not None and len(redacted) > max_chars:
                raise RunawayRedaction(
                    f"redaction {redaction.pattern.pattern!r} keeps matching its own output"
                )
            text = redacted
    return text


def redacts_its_own_marker(redaction: Redaction) -> bool:
    """Whether the rule changes a line that is nothing but its marker: it would never stop."""
    (rule,) = compiled_redactions((redaction,))
    sample = f"{REDACTED}\nx{redaction.separator}{REDACTED}\n"
    return rule.substitute(sample) != sample


def redact(text: str, spec: DriverSpec) -> str:
    """The vendor's rules, then the generic fallback for what they miss."""
    return redact_with(text, compiled_redactions(spec.redactions + FALLBACK_REDACTIONS))


@lru_cache(maxsize=512)
def noise_pattern(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation matches a line where any of the patterns would."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def drop_lines(text: str, noise: re.Pattern[str] | None) -> tuple[str, int]:
    """The text without the lines `noise` matches, and how many it dropped."""
    lines = text.split("\n")
    kept = lines if noise is None else [line for line in lines if not noise.match(line)]
    return "\n".join(kept), len(lines) - len(kept)


def strip_noise(text: str, spec: DriverSpec) -> str:
    return clean(drop_lines(text, noise_pattern(spec.noise))[0])


def stored_config(raw: str, spec: DriverSpec, filters: Sequence[OperatorFilter] = ()) -> str:
    """The driver's cleaning, redaction and noise, then the operator's filters."""
    text = strip_noise(redact(clean(raw), spec), spec)
    return apply_filters(text, filters).text if filters else text


@dataclass(frozen=True)
class Filtered:
    text: str
    redacted: int  # secrets the filters replaced with the marker
    dropped: int  # lines their noise patterns dropped


def apply_filters(text: str, filters: Sequence[OperatorFilter]) -> Filtered:
    """The filters in order on an already stored (driver-filtered) config, counting what each
    changed: the worker's last step, and the api's preview. An operator's rule is not vetted like a
    driver's golden-tested one: one that grows the text past twice its size (plus 64 KB) raises
    `RunawayRedaction` instead of eating the memory."""
    redacted = dropped = 0
    max_chars = 2 * len(text) + 65_536
    for each in filters:
        markers = text.count(REDACTED)
        try:
            text = redact_with(text, compiled_redactions(each.redactions), max_chars)
        except RunawayRedaction as error:
            raise RunawayRedaction(f"config filter '{each.label}': {error}") from None
        redacted += max(text.count(REDACTED) - markers, 0)
        text, noisy = drop_lines(text, noise_pattern(each.noise))
        dropped += noisy
    return Filtered(clean(text), redacted, dropped)


def stored_output(
    raw: str, spec: DriverSpec, output: Output, filters: Sequence[OperatorFilter] = ()
) -> str:
    """An extra output (`show version`, ...) through the config's pipeline, then its own noise."""
    text = stored_config(raw, spec, filters)
    noise = noise_pattern(output.noise)
    return text if noise is None else clean(drop_lines(text, noise)[0])
