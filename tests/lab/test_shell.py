import pytest
from netraven_lab.profiles import DeviceProfile
from netraven_lab.shell import Mode, greeting, respond

DEVICE = DeviceProfile(
    hostname="R1",
    port=0,
    username="admin",
    password="pw",
    enable_secret="s3cret",
    config_text="!\nhostname R1\n!\nend\n",
)


def _say(line: str, mode: Mode = Mode.PRIVILEGED_EXEC) -> str:
    return respond(DEVICE, mode, line, uptime_seconds=0).text


class TestPrompts:
    def test_session_opens_in_user_exec(self) -> None:
        assert greeting("R1") == "\r\nR1>"

    def test_empty_line_reprints_the_prompt(self) -> None:
        assert _say("", Mode.USER_EXEC) == "R1>"
        assert _say("   ") == "R1#"

    def test_terminal_settings_are_accepted_silently(self) -> None:
        for line in ["terminal length 0", "terminal width 511", "terminal no monitor"]:
            assert _say(line, Mode.USER_EXEC) == "R1>"


class TestEnable:
    def test_enable_asks_for_the_secret(self) -> None:
        reply = respond(DEVICE, Mode.USER_EXEC, "enable", 0)
        assert (reply.text, reply.mode) == ("Password: ", Mode.ENABLE_PASSWORD)
        assert not reply.mode.echoes

    def test_right_secret_gives_privileged_exec(self) -> None:
        reply = respond(DEVICE, Mode.ENABLE_PASSWORD, "s3cret", 0)
        assert (reply.text, reply.mode) == ("R1#", Mode.PRIVILEGED_EXEC)

    def test_wrong_secret_is_denied_and_stays_in_user_exec(self) -> None:
        reply = respond(DEVICE, Mode.ENABLE_PASSWORD, "guess", 0)
        assert (reply.text, reply.mode) == ("% Access denied\r\n\r\nR1>", Mode.USER_EXEC)

    def test_enable_when_already_privileged_does_nothing(self) -> None:
        reply = respond(DEVICE, Mode.PRIVILEGED_EXEC, "enable", 0)
        assert (reply.text, reply.mode) == ("R1#", Mode.PRIVILEGED_EXEC)

    def test_disable_drops_back_to_user_exec(self) -> None:
        reply = respond(DEVICE, Mode.PRIVILEGED_EXEC, "disable", 0)
        assert (reply.text, reply.mode) == ("R1>", Mode.USER_EXEC)


class TestShowRunningConfig:
    def test_prints_the_config_the_ios_way(self) -> None:
        assert _say("show running-config") == (
            "Building configuration...\r\n\r\nCurrent configuration : 20 bytes\r\n"
            "!\r\nhostname R1\r\n!\r\nend\r\n\r\nR1#"
        )

    def test_is_rejected_in_user_exec_with_a_caret_under_the_bad_word(self) -> None:
        assert _say("show running-config", Mode.USER_EXEC) == (
            "        ^\r\n% Invalid input detected at '^' marker.\r\n\r\nR1>"
        )


class TestShowVersion:
    def test_reports_uptime_and_works_in_user_exec(self) -> None:
        reply = respond(DEVICE, Mode.USER_EXEC, "show version", uptime_seconds=90061)
        assert "Cisco IOS Software" in reply.text
        assert "R1 uptime is 1 day, 1 hour, 1 minute\r\n" in reply.text
        assert reply.text.endswith("Configuration register is 0x2102\r\n\r\nR1>")


class TestErrors:
    @pytest.mark.parametrize(
        ("line", "text"),
        [
            ("foo", "   ^\r\n% Invalid input detected at '^' marker.\r\n\r\nR1#"),
            ("sh", "% Incomplete command.\r\n\r\nR1#"),
            ("e", '% Ambiguous command:  "e"\r\n\r\nR1#'),
        ],
    )
    def test_ios_error_messages(self, line: str, text: str) -> None:
        assert _say(line) == text


class TestExit:
    @pytest.mark.parametrize("line", ["exit", "logout"])
    def test_closes_the_session(self, line: str) -> None:
        assert respond(DEVICE, Mode.USER_EXEC, line, 0).closed
