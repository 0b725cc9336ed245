"""The words a regex cannot match without, so redaction can skip a rule whose words are absent.

`required_words(pattern)` reads the parsed pattern and returns a set of literal strings, one of
which every match must contain, or None when it cannot tell. It only ever answers from text the
match consumes: lookarounds, character classes and optional parts add no words, and any construct
it does not know gives None. So "none of these words is in the text" proves "no match here",
and a rule is never skipped where it could have matched. Case-insensitive parts give None too.
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
        return frozenset(union)
    return None


def _selectivity(words: frozenset[str]) -> tuple[int, int]:
    """Longer words are rarer; fewer of them are fewer chances to be present."""
    return min(len(word) for word in words), -len(words)


def may_match(words: Words, text: str) -> bool:
    return words is None or any(word in text for word in words)
