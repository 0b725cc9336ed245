"""Skipping a redaction rule by its required words never skips one that could have matched."""

import random
import re
from pathlib import Path

import pytest
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.drivers.fallback import FALLBACK_REDACTIONS
from netraven_shared.drivers.pipeline import MAX_PASSES, clean, redact
from netraven_shared.drivers.required_text import (
    first_line_starts,
    first_line_words,
    leads_with_whitespace,
    may_match,
    required_words,
)
from netraven_shared.drivers.spec import REDACTED, DriverSpec

GOLDEN = Path(__file__).parent / "golden"
DRIVERS = {platform.spec.platform: platform.spec for platform in DriverCatalog.load().platforms()}
RAW = sorted(GOLDEN.glob("**/raw.txt")) + sorted(GOLDEN.glob("**/repoll.txt"))


def _words(pattern: str) -> frozenset[str] | None:
    return required_words(re.compile(pattern, re.MULTILINE))


def _every_rule_until_nothing_changes(text: str, spec: DriverSpec) -> str:
    """The redaction before the skip: every rule, each applied until the text stops changing."""
    for redaction in spec.redactions + FALLBACK_REDACTIONS:
        pattern, marker = redaction.compiled(), redaction.separator + REDACTED
        for _ in range(MAX_PASSES):
            redacted = pattern.sub(lambda match: match.group(1) + marker, text)  # noqa: B023
            if redacted == text:
                break
            text = redacted
    return text


class TestRequiredWords:
    @pytest.mark.parametrize(
        ("pattern", "words"),
        [
            (r"^(snmp-server community) \S+", {"snmp-server community"}),
            (r"^(\s+(?:area|domain)-password) \S+", {"-password"}),
            (r"(secret|psk)=\S+", {"secret", "psk"}),
            (r"^(\s+key(?: \d)?) \S+", {"key"}),
            (r"(?:key )+\S+", {"key "}),
            (r"[ps]ecret=\S+", {"ecret="}),
            (r"(?:shared-secret|secret|wpa-psk|psk) \S+", {"secret", "psk"}),  # each holds one
        ],
    )
    def test_the_longest_literal_every_match_holds(self, pattern: str, words: set[str]) -> None:
        assert _words(pattern) == words

    @pytest.mark.parametrize(
        "pattern",
        [
            r"(?:secret )?\S+",  # optional
            r"(?:secret|\d)\S+",  # an alternative with no literal
            r"(?=password)\S+",  # a lookahead consumes nothing
            r"(?<=key )\S+",
            r"(?i:secret)\S+",  # any case
            r"(?i)secret \S+",  # any case, all of it
            r"[ps]\S+",  # a class is not a literal
        ],
    )
    def test_no_words_when_a_match_need_not_hold_one(self, pattern: str) -> None:
        assert _words(pattern) is None

    def test_no_words_means_the_rule_always_runs(self) -> None:
        assert may_match(None, "")
        assert not may_match(frozenset({"secret"}), "hostname a\n")


def _line_words(pattern: str) -> frozenset[str] | None:
    return first_line_words(re.compile(pattern, re.MULTILINE))


class TestFirstLineWords:
    @pytest.mark.parametrize(
        ("pattern", "words"),
        [
            (r"^(snmp-server community) \S+", {"snmp-server community"}),
            (r"^(?!\s*remark)(.*?\b(?:secret|psk)[ \t]+)\S+", {"secret", "psk"}),
            (r"^(radius server \S+\n(?: .*\n)*? key) \S+", {"radius server "}),
            (r'^(\S+ secret) "[^"\n]*(?:\n[^"\n]*)?"', {" secret"}),
            (r"^([^<\s]+ key) \S+", {" key"}),
            (r"^(\s+key [0-7]) \S+", {"key "}),  # on the line after any blank lines `\s+` takes
            (r"^(\S+ (?:auth-key|key)) \S+", {"key"}),
            (r"^\s*(neighbor \S+ password) \S+", {"neighbor "}),
        ],
    )
    def test_the_words_before_the_first_line_end(self, pattern: str, words: set[str]) -> None:
        assert _line_words(pattern) == words

    @pytest.mark.parametrize(
        "pattern",
        [
            r"(snmp-server community) \S+",  # not anchored at a line start
            r"^(\S+\n)*secret \S+",
            r"^([^<]+ key) \S+",  # `[^<]` takes a line end
            r"^(.*\W key) \S+",  # so may `\W`
            r"^(?s:.*) key \S+",
            r"^(?i:secret) \S+",
        ],
    )
    def test_no_words_when_the_first_line_need_not_hold_one(self, pattern: str) -> None:
        assert _line_words(pattern) is None

    def test_the_starts_of_the_lines_holding_a_word(self) -> None:
        text = "a secret b\nhostname\n psk x secret y\n"
        assert first_line_starts(frozenset({"secret", "psk"}), text) == [0, 20]

    @pytest.mark.parametrize(
        ("pattern", "leads"),
        [
            (r"^(\s+key [0-7]) \S+", True),
            (r"^\s*neighbor \S+", True),
            (r"^(snmp-server community) \S+", False),
            (r"^(\S+\s+key) \S+", False),
            (r"(\s+key) \S+", False),  # not anchored at a line start
        ],
    )
    def test_whether_a_match_may_open_with_blank_lines(self, pattern: str, leads: bool) -> None:
        assert leads_with_whitespace(re.compile(pattern, re.MULTILINE)) is leads

    def test_the_starts_of_the_blank_lines_before_a_line_holding_a_word(self) -> None:
        text = "!\n\n \t\n key 7 x\nhostname key\n"
        starts = first_line_starts(frozenset({"key "}), text, after_blank_lines=True)
        assert starts == [2, 3, 6]
        matches = re.finditer(r"^(\s+key [0-7]) \S+", text, re.MULTILINE)
        assert [match.start() for match in matches] == [2]


@pytest.mark.parametrize("raw", RAW, ids=lambda path: str(path.relative_to(GOLDEN)))
class TestEveryRuleOnEveryGolden:
    def test_every_match_holds_one_of_its_rules_words(self, raw: Path) -> None:
        spec = DRIVERS[raw.relative_to(GOLDEN).parts[0]]
        text = clean(raw.read_text())
        for redaction in spec.redactions + FALLBACK_REDACTIONS:
            pattern = redaction.compiled()
            words = required_words(pattern)
            for match in pattern.finditer(text):
                assert may_match(words, match.group(0)), (pattern.pattern, match.group(0))

    def test_every_match_starts_a_line_holding_one_of_its_first_line_words(self, raw: Path) -> None:
        spec = DRIVERS[raw.relative_to(GOLDEN).parts[0]]
        text = clean(raw.read_text())
        for redaction in spec.redactions + FALLBACK_REDACTIONS:
            pattern = redaction.compiled()
            words = first_line_words(pattern)
            if words is None:
                continue
            starts = first_line_starts(words, text, leads_with_whitespace(pattern))
            assert [m.start() for m in pattern.finditer(text) if m.start() not in starts] == []

    def test_redacts_exactly_as_every_rule_until_nothing_changes(self, raw: Path) -> None:
        spec = DRIVERS[raw.relative_to(GOLDEN).parts[0]]
        text = clean(raw.read_text())
        assert redact(text, spec) == _every_rule_until_nothing_changes(text, spec)


class TestEveryRuleOnMixedLines:
    """Lines of every golden, shuffled and indented, so rules meet text their vendor never
    prints."""

    @pytest.mark.parametrize("seed", range(10))
    def test_redacts_exactly_as_every_rule_until_nothing_changes(self, seed: int) -> None:
        lines = [line for path in RAW for line in path.read_text().splitlines()]
        rng = random.Random(seed)
        mixed = [rng.choice(("", " ", "  ")) + rng.choice(lines) for _ in range(80)]
        text = clean("\n".join(mixed))
        for spec in DRIVERS.values():
            assert redact(text, spec) == _every_rule_until_nothing_changes(text, spec), (
                spec.platform
            )

    def test_a_match_that_opens_on_the_blank_lines_before_its_secret(self) -> None:
        text = "interface Tunnel0\n\n\n key 7 0822455D0A16\n password 7 096E4F\n"
        for spec in DRIVERS.values():
            redacted = redact(text, spec)
            assert redacted == _every_rule_until_nothing_changes(text, spec), spec.platform
        assert "0822455D0A16" not in redact(text, DRIVERS["cisco_ios"])
