import pytest
from netraven_lab.commands import (
    PRIVILEGED_EXEC,
    USER_EXEC,
    Action,
    AmbiguousCommand,
    IncompleteCommand,
    InvalidInput,
    parse,
)


class TestAbbreviations:
    @pytest.mark.parametrize(
        "line",
        ["show running-config", "show run", "sh run", "sh ru", "SH RUN", "  show   running  "],
    )
    def test_show_running_config_spellings(self, line: str) -> None:
        assert parse(line, PRIVILEGED_EXEC) is Action.SHOW_RUNNING_CONFIG

    @pytest.mark.parametrize(
        ("line", "action"),
        [
            ("en", Action.ENABLE),
            ("disa", Action.DISABLE),
            ("sh ver", Action.SHOW_VERSION),
            ("show inventory", Action.SHOW_INVENTORY),
            ("sh inv", Action.SHOW_INVENTORY),
            ("term len 0", Action.TERMINAL),
            ("terminal width 511", Action.TERMINAL),
            ("ter w 80", Action.TERMINAL),
            ("terminal no monitor", Action.TERMINAL),
            ("exit", Action.EXIT),
            ("logout", Action.EXIT),
        ],
    )
    def test_common_commands(self, line: str, action: Action) -> None:
        assert parse(line, PRIVILEGED_EXEC) is action

    @pytest.mark.parametrize("line", ["e", "s", "te len 0", "show v", "sh r"])
    def test_too_short_is_ambiguous(self, line: str) -> None:
        assert isinstance(parse(line, PRIVILEGED_EXEC), AmbiguousCommand)


class TestErrors:
    def test_unknown_word_points_at_itself(self) -> None:
        assert parse("show interfaces", PRIVILEGED_EXEC) == InvalidInput(column=5)

    def test_privileged_command_is_unknown_in_user_exec(self) -> None:
        assert parse("show running-config", USER_EXEC) == InvalidInput(column=5)
        assert parse("disable", USER_EXEC) == InvalidInput(column=0)

    def test_extra_word_after_a_complete_command(self) -> None:
        assert parse("show version detail", USER_EXEC) == InvalidInput(column=13)

    def test_out_of_range_number(self) -> None:
        assert parse("terminal length 9999", USER_EXEC) == InvalidInput(column=16)

    @pytest.mark.parametrize("line", ["show", "terminal", "terminal length", "terminal no"])
    def test_missing_words_is_incomplete(self, line: str) -> None:
        assert isinstance(parse(line, USER_EXEC), IncompleteCommand)
