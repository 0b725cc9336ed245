r"""What text a redaction rule cannot match without, so it runs only where it could match.

Redaction is the worker's largest cost per backup: dozens of rules, each over the whole config. Two
answers, read from the parsed regex, spare most of that work without changing what is redacted:

- `required_words`: literals one of which every match contains. None in the text: no match, skip.
- `first_line_words`: for a rule anchored at a line start, literals one of which every match holds
  before its first line end. A match can then only start at a line holding one, and the rule is
  tried at those lines alone. A rule that opens with a run of whitespace (`^\s+key`) may start on
  the blank lines before that line too (`leads_with_whitespace`): those are tried as well.

Both answer only from text the match consumes (lookarounds, classes and optional parts add no
words), and anything unknown, case-insensitive or dot-all gives None: the rule then runs as before.
Hence "no word here" always proves "no match here". `re._parser` is CPython's own regex parser.
"""

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

Words = frozenset[str] | None

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def required_words(pattern: re.Pattern[str]) -> Words:
    if pattern.flags & re.IGNORECASE:
        return None
    return _in_sequence(sre_parse.parse(pattern.pattern, pattern.flags))


def _in_sequence(items: Any) -> Words:
    """Each item of a sequence is in every match, so the most selective one answers for it."""
    candidates: list[frozenset[str]] = []
    literal_run = ""
    for op, argument in items:
        if op is sre.LITERAL:
            literal_run += chr(argument)
            continue
        if literal_run:
            candidates.append(frozenset({literal_run}))
            literal_run = ""
        words = _in_item(op, argument)
        if words is not None:
            candidates.append(words)
    if literal_run:
        candidates.append(frozenset({literal_run}))
    return max(candidates, key=_selectivity, default=None)


def _in_item(op: object, argument: Any) -> Words:
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, body = argument
        return None if add_flags & re.IGNORECASE else _in_sequence(body)
    if op is sre.ATOMIC_GROUP:
        return _in_sequence(argument)
    if op in _REPEATS:
        minimum, _maximum, body = argument
        return _in_sequence(body) if minimum >= 1 else None
    if op is sre.BRANCH:
        _unused, alternatives = argument
        union: set[str] = set()
        for alternative in alternatives:
            words = _in_sequence(alternative)
            if words is None:  # one alternative may match without any word
                return None
            union |= words
        return _shortest(union)
    return None


def _shortest(words: set[str]) -> frozenset[str]:
    """The words that hold none of the others: where "shared-secret" is, "secret" is too."""
    return frozenset(
        word for word in words if not any(other in word for other in words if other != word)
    )


def _selectivity(words: frozenset[str]) -> tuple[int, int]:
    """Longer words are rarer; fewer of them are fewer chances to be present."""
    return min(len(word) for word in words), -len(words)


def may_match(words: Words, text: str) -> bool:
    return words is None or any(word in text for word in words)


# Each part of a pattern answers (its words on the first line, whether it never takes a "\n").

_NEWLINE = ord("\n")
_CLASSES_WITHOUT_NEWLINE = {sre.CATEGORY_DIGIT, sre.CATEGORY_WORD, sre.CATEGORY_NOT_SPACE}
_CLASSES_WITH_NEWLINE = {sre.CATEGORY_SPACE, sre.CATEGORY_LINEBREAK}
_OnLine = tuple[Words, bool]
_WHITESPACE = [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_SPACE)])]


def first_line_words(pattern: re.Pattern[str]) -> Words:
    items = _after_line_start(pattern)
    if items is None:
        return None
    return _on_line_sequence(_without_leading_whitespace(items))[0]


def leads_with_whitespace(pattern: re.Pattern[str]) -> bool:
    """Whether a match may open with whitespace over whole lines before its first line words."""
    items = _after_line_start(pattern)
    return items is not None and _without_leading_whitespace(items) is not items


def _after_line_start(pattern: re.Pattern[str]) -> list[Any] | None:
    """What follows the `^` of a multi-line pattern; None when it is not one."""
    if pattern.flags & (re.IGNORECASE | re.DOTALL):
        return None
    items = list(sre_parse.parse(pattern.pattern, pattern.flags))
    if not items or items[0] != (sre.AT, sre.AT_BEGINNING) or not pattern.flags & re.MULTILINE:
        return None
    return items[1:]


def _without_leading_whitespace(items: list[Any]) -> list[Any]:
    r"""`items` after a leading `\s*` or `\s+` (also as the first item of a leading group), or
    `items` itself when they open with none."""
    if not items:
        return items
    op, argument = items[0]
    if op in _REPEATS and list(argument[2]) == _WHITESPACE:
        return items[1:]
    if op is sre.SUBPATTERN:
        group, add_flags, del_flags, body = argument
        inside = _without_leading_whitespace(list(body))
        if len(inside) < len(body):
            return [(op, (group, add_flags, del_flags, inside)), *items[1:]]
    return items


def _on_line_sequence(items: Any) -> _OnLine:
    candidates: list[frozenset[str]] = []
    literal_run = ""
    on_line = True
    for op, argument in items:
        if op is sre.LITERAL and argument != _NEWLINE:
            literal_run += chr(argument)
            continue
        if literal_run:
            candidates.append(frozenset({literal_run}))
            literal_run = ""
        words, stays = (None, False) if op is sre.LITERAL else _on_line_item(op, argument)
        if words is not None:
            candidates.append(words)
        if not stays:
            on_line = False
            break
    if literal_run:
        candidates.append(frozenset({literal_run}))
    return max(candidates, key=_selectivity, default=None), on_line


def _on_line_item(op: object, argument: Any) -> _OnLine:
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return None, True  # they take no text; what a lookaround reads is not the match's
    if op is sre.ANY:
        return None, True  # without DOTALL
    if op is sre.NOT_LITERAL:
        return None, argument == _NEWLINE
    if op is sre.IN:
        return None, not _class_takes_newline(argument)
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, body = argument
        if add_flags & (re.IGNORECASE | re.DOTALL):
            return None, False
        return _on_line_sequence(body)
    if op is sre.ATOMIC_GROUP:
        return _on_line_sequence(argument)
    if op in _REPEATS:
        minimum, _maximum, body = argument
        words, stays = _on_line_sequence(body)
        return (words if minimum >= 1 else None), stays
    if op is sre.BRANCH:
        per_alternative = [_on_line_sequence(alternative) for alternative in argument[1]]
        all_stay = all(stays for _words, stays in per_alternative)
        if any(words is None for words, _stays in per_alternative):
            return None, all_stay
        return _shortest({word for words, _ in per_alternative for word in words or ()}), all_stay
    return None, False


def _class_takes_newline(members: Any) -> bool:
    """Whether `[...]` may match "\\n"; when unsure, it may."""
    negated = bool(members) and members[0][0] is sre.NEGATE
    excludes = takes = False
    for op, argument in members[1:] if negated else members:
        if op is sre.LITERAL:
            hit = argument == _NEWLINE
        elif op is sre.RANGE:
            hit = argument[0] <= _NEWLINE <= argument[1]
        elif op is sre.CATEGORY and argument in _CLASSES_WITHOUT_NEWLINE:
            hit = False
        elif op is sre.CATEGORY and argument in _CLASSES_WITH_NEWLINE:
            hit = True
        else:
            return True
        excludes, takes = excludes or hit, takes or hit
    return not excludes if negated else takes


def first_line_starts(
    words: frozenset[str], text: str, after_blank_lines: bool = False
) -> list[int]:
    """The start of every line that holds one of the words, in order; with `after_blank_lines`,
    also of the whitespace-only lines just before each."""
    starts = set()
    for word in words:
        found = text.find(word)
        while found != -1:
            start = text.rfind("\n", 0, found) + 1
            if after_blank_lines and start not in starts:
                starts.update(_blank_lines_before(text, start))
            starts.add(start)
            found = text.find(word, found + 1)
    return sorted(starts)


def _blank_lines_before(text: str, start: int) -> list[int]:
    r"""The starts of the lines before the line at `start` that hold only what `\s` matches, up to
    the first that holds more (`isspace` takes a little more than `\s`: a needless try, never a
    missed one)."""
    blank = []
    while start:
        end = start - 1  # the line before ends here, with its "\n"
        if end and not text[end - 1].isspace():
            break
        start = text.rfind("\n", 0, end) + 1
        if start != end and not text[start:end].isspace():
            break
        blank.append(start)
    return blank
