import pytest
from netraven_lab.show_output import running_config, uptime


class TestRunningConfig:
    def test_counts_the_bytes_it_shows(self) -> None:
        text = "!\nhostname R1\nend\n"
        assert running_config(text).startswith(
            f"Building configuration...\n\nCurrent configuration : {len(text)} bytes\n"
        )

    @pytest.mark.parametrize("text", ["hostname R1", "hostname R1\n\n\n", "hostname R1\r\n"])
    def test_always_ends_with_end(self, text: str) -> None:
        assert running_config(text).endswith("\nhostname R1\nend")


class TestUptime:
    @pytest.mark.parametrize(
        ("seconds", "text"),
        [
            (0, "0 minutes"),
            (61, "1 minute"),
            (3 * 3600 + 120, "3 hours, 2 minutes"),
            (9 * 86400, "1 week, 2 days, 0 hours, 0 minutes"),
            (400 * 86400, "1 year, 5 weeks, 0 days, 0 hours, 0 minutes"),
        ],
    )
    def test_ios_style(self, seconds: float, text: str) -> None:
        assert uptime(seconds) == text
