"""Compliance rules applied to a config's text: pure, no I/O, so every case is a unit test.

A rule's pattern is matched against each line trimmed of surrounding whitespace: exactly, or as a
regex (`regex` library) searched within the trimmed line. Without a section the whole config is one
block. With a section (a regex for the header line, e.g. `^interface `), every line whose trimmed
text matches it opens a block: that line plus the lines after it indented deeper than it.

- must_contain: each block needs a matching line; every block lacking one is named (with no
  section: the config lacks it). A config with no block matching the section passes.
- must_not_contain: every matching line fails the rule, named with its block's header.

Operators write the regexes, so each rule's matching has a time budget (`RULE_SECONDS`): a rule
that exceeds it ends as `error`, not as a pass or a violation, and the rest are still evaluated.
"""

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

import regex

Kind = Literal["must_contain", "must_not_contain"]
Status = Literal["passed", "failed", "error"]
KINDS: tuple[Kind, ...] = ("must_contain", "must_not_contain")
PATTERN_MAX_CHARS = 500
RULE_SECONDS = 1.0
MAX_DETAILS = 50
DETAIL_MAX_CHARS = 300


class BadPattern(ValueError):
    """A pattern that cannot be a rule's: too long, several lines, or a regex that does not
    compile."""


@dataclass(frozen=True)
class Rule:
    id: UUID
    name: str
    kind: Kind
    pattern: str
    is_regex: bool = False
    section: str | None = None
    severity: str = "warning"
    platforms: frozenset[str] = field(default_factory=frozenset)
    tags: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Outcome:
    rule: Rule
    status: Status
    details: tuple[str, ...] = ()
    more_details: int = 0  # how many details were left off beyond MAX_DETAILS


@dataclass(frozen=True)
class _Block:
    header: str | None  # None: the whole config
    lines: tuple[tuple[int, str], ...]  # (line number, trimmed text)


def checked_regex(text: str, field_name: str) -> str:
    """`text` when it can be a rule's regex, else `BadPattern` naming the field."""
    _check_shape(text, field_name)
    try:
        regex.compile(text)
    except regex.error as error:
        raise BadPattern(f"{field_name}: not a valid regular expression: {error}") from error
    return text


def checked_line(text: str, field_name: str) -> str:
    _check_shape(text, field_name)
    if not text.strip():
        raise BadPattern(f"{field_name}: a line pattern needs more than whitespace")
    return text


def _check_shape(text: str, field_name: str) -> None:
    if len(text) > PATTERN_MAX_CHARS:
        raise BadPattern(f"{field_name}: at most {PATTERN_MAX_CHARS} characters")
    if "\n" in text or "\r" in text:
        raise BadPattern(f"{field_name}: one line only")


def in_scope(rule: Rule, platform: str, tags: set[str]) -> bool:
    """Whether `rule` applies to a device of `platform` carrying `tags` (empty lists: all)."""
    return (not rule.platforms or platform in rule.platforms) and (
        not rule.tags or bool(rule.tags & tags)
    )


def evaluate(rules: list[Rule], config: str) -> list[Outcome]:
    lines = [(number, line) for number, line in enumerate(config.splitlines(), start=1)]
    return [_evaluate_rule(rule, lines) for rule in rules]


def _evaluate_rule(rule: Rule, lines: list[tuple[int, str]]) -> Outcome:
    deadline = time.monotonic() + RULE_SECONDS
    try:
        blocks = list(_blocks(rule.section, lines, deadline))
        if rule.kind == "must_contain":
            details = [
                f"{block.header}: missing" if block.header is not None else "missing from config"
                for block in blocks
                if not any(_matches(rule, text, deadline) for _, text in block.lines)
            ]
        else:
            details = [
                _matched(block.header, number, text)
                for block in blocks
                for number, text in block.lines
                if _matches(rule, text, deadline)
            ]
    except TimeoutError:
        return Outcome(
            rule, "error", (f"matching took longer than {RULE_SECONDS:g} s; simplify the pattern",)
        )
    return Outcome(
        rule,
        "failed" if details else "passed",
        tuple(detail[:DETAIL_MAX_CHARS] for detail in details[:MAX_DETAILS]),
        max(0, len(details) - MAX_DETAILS),
    )


def _matched(header: str | None, number: int, text: str) -> str:
    where = f"line {number}" if header is None else f"{header} (line {number})"
    return f"{where}: {text}"


def _blocks(section: str | None, lines: list[tuple[int, str]], deadline: float) -> Iterator[_Block]:
    if section is None:
        yield _Block(None, tuple((number, line.strip()) for number, line in lines))
        return
    for index, (_, line) in enumerate(lines):
        header = line.strip()
        if not header or not _found(section, header, deadline):
            continue
        depth = _indent(line)
        body = [(lines[index][0], header)]
        for number, child in lines[index + 1 :]:
            if child.strip() and _indent(child) <= depth:
                break
            if child.strip():
                body.append((number, child.strip()))
        yield _Block(header, tuple(body))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _matches(rule: Rule, text: str, deadline: float) -> bool:
    if rule.is_regex:
        return _found(rule.pattern, text, deadline)
    return text == rule.pattern.strip()


def _found(pattern: str, text: str, deadline: float) -> bool:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    return regex.search(pattern, text, timeout=remaining) is not None
