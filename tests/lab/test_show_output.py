import pytest
from netraven_lab.show_output import inventory, running_config, uptime, version
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.drivers.facts import parse_facts
from netraven_shared.drivers.pipeline import stored_output


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


class TestFacts:
    """What the lab prints is what the cisco_ios driver reads facts from, as IOS lays it out."""

    def test_the_cisco_ios_driver_reads_model_serial_and_version(self) -> None:
        spec = DriverCatalog.load().driver_for("cisco_ios")
        texts = {
            output.name: stored_output(
                version("lab-7", 3600) if output.name == "version" else inventory("lab-7"),
                spec,
                output,
            )
            for output in spec.outputs
        }
        facts = parse_facts(spec, texts)
        assert facts["model"] == "CISCO2911/K9"
        assert facts["os_version"] == "15.7(3)M8"
        assert facts["serial_number"].startswith("FTX")
        assert f"SN: {facts['serial_number']}" in texts["inventory"]

    def test_the_serial_is_the_hostname_s_own(self) -> None:
        assert inventory("lab-1") == inventory("lab-1") != inventory("lab-2")
