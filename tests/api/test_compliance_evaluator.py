"""The compliance evaluator: lines and regexes, must and must-not, sections, scope, bad patterns and
the time bound. Pure functions, no services."""

from uuid import uuid4

import pytest
from netraven_api.compliance import evaluator
from netraven_api.compliance.evaluator import BadPattern, Rule, evaluate, in_scope

CONFIG = """\
hostname core-sw-01
service password-encryption
!
interface GigabitEthernet0/1
 description uplink
 switchport mode trunk
!
interface GigabitEthernet0/2
 description access
 shutdown
!
line vty 0 4
 transport input telnet ssh
 login local
!
ntp server 10.0.0.1
"""


def rule(kind: str = "must_contain", pattern: str = "", **fields) -> Rule:
    return Rule(id=uuid4(), name="r", kind=kind, pattern=pattern, **fields)  # type: ignore[arg-type]


def outcome(one: Rule, config: str = CONFIG) -> evaluator.Outcome:
    return evaluate([one], config)[0]


class TestLines:
    def test_a_line_present_passes_whatever_its_indentation(self) -> None:
        assert outcome(rule(pattern="service password-encryption")).status == "passed"
        assert outcome(rule(pattern="  login local  ")).status == "passed"

    def test_a_line_is_matched_whole_not_as_a_part(self) -> None:
        result = outcome(rule(pattern="service password"))
        assert (result.status, result.details) == ("failed", ("missing from config",))

    def test_must_not_contain_names_each_matching_line(self) -> None:
        result = outcome(rule("must_not_contain", "shutdown"))
        assert result.status == "failed"
        assert result.details == ("line 10: shutdown",)

    def test_must_not_contain_passes_when_absent(self) -> None:
        assert outcome(rule("must_not_contain", "ip http server")).status == "passed"


class TestRegex:
    def test_a_regex_is_searched_within_each_trimmed_line(self) -> None:
        assert outcome(rule(pattern=r"^ntp server \d+\.", is_regex=True)).status == "passed"
        result = outcome(rule("must_not_contain", r"transport input .*telnet", is_regex=True))
        assert result.details == ("line 13: transport input telnet ssh",)

    def test_a_missing_regex_fails(self) -> None:
        assert outcome(rule(pattern=r"^logging host ", is_regex=True)).status == "failed"


class TestSections:
    def test_must_contain_names_each_block_lacking_the_line(self) -> None:
        result = outcome(rule(pattern="shutdown", section=r"^interface "))
        assert result.status == "failed"
        assert result.details == ("interface GigabitEthernet0/1: missing",)

    def test_a_block_ends_at_the_next_line_as_shallow_as_its_header(self) -> None:
        result = outcome(rule(pattern=r"^description", is_regex=True, section=r"^interface "))
        assert result.status == "passed"
        leaked = outcome(rule(pattern="login local", section=r"^interface "))
        assert len(leaked.details) == 2

    def test_must_not_contain_within_a_section_names_the_block(self) -> None:
        result = outcome(rule("must_not_contain", r"telnet", is_regex=True, section=r"^line vty"))
        assert result.details == ("line vty 0 4 (line 13): transport input telnet ssh",)

    def test_no_block_matching_the_section_passes(self) -> None:
        assert outcome(rule(pattern="shutdown", section=r"^router bgp")).status == "passed"

    def test_nested_sections_stop_at_their_own_depth(self) -> None:
        config = "router bgp 1\n address-family ipv4\n  network 10.0.0.0\n neighbor 1.1.1.1\n"
        result = outcome(rule(pattern="neighbor 1.1.1.1", section="address-family"), config)
        assert result.details == ("address-family ipv4: missing",)


class TestBounds:
    def test_details_are_bounded_and_the_rest_counted(self) -> None:
        config = "\n".join(f"bad {n}" for n in range(evaluator.MAX_DETAILS + 7))
        result = outcome(rule("must_not_contain", "^bad", is_regex=True), config)
        assert len(result.details) == evaluator.MAX_DETAILS
        assert result.more_details == 7

    def test_a_catastrophic_regex_ends_as_an_error_within_its_budget(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(evaluator, "RULE_SECONDS", 0.2)
        slow = rule(pattern=r"(x|xx)+\1\1y", is_regex=True)
        fine = rule(pattern="login local")
        results = evaluate([slow, fine], "x" * 60)
        assert results[0].status == "error"
        assert "longer than" in results[0].details[0]
        assert results[1].status == "failed"


class TestPatterns:
    def test_a_regex_that_does_not_compile_names_the_field(self) -> None:
        with pytest.raises(BadPattern, match="^pattern: not a valid regular expression"):
            evaluator.checked_regex("(unclosed", "pattern")

    @pytest.mark.parametrize("text", ["x" * (evaluator.PATTERN_MAX_CHARS + 1), "two\nlines"])
    def test_long_or_multiline_patterns_are_refused(self, text: str) -> None:
        with pytest.raises(BadPattern, match="^section: "):
            evaluator.checked_regex(text, "section")

    def test_a_blank_line_pattern_is_refused(self) -> None:
        with pytest.raises(BadPattern):
            evaluator.checked_line("   ", "pattern")


class TestScope:
    def test_empty_scope_is_every_device(self) -> None:
        assert in_scope(rule(pattern="x"), "cisco_ios", set())

    def test_platforms_and_tags_must_both_match(self) -> None:
        scoped = rule(pattern="x", platforms=frozenset({"cisco_ios"}), tags=frozenset({"core"}))
        assert in_scope(scoped, "cisco_ios", {"core", "lab"})
        assert not in_scope(scoped, "juniper_junos", {"core"})
        assert not in_scope(scoped, "cisco_ios", {"edge"})
