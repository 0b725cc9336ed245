"""Outputs beside the config and the facts read from them: driver file checks and goldens.

Each platform with outputs has `golden/<platform>/outputs/`: `<name>.raw.txt` as the device printed
it, `<name>.expected.txt` as stored, and `facts.json`, the facts read from the stored texts.
"""

import json
from pathlib import Path

import pytest
from netraven_shared.drivers.catalog import DriverCatalog
from netraven_shared.drivers.driver_file import DriverFileError, read_driver_file
from netraven_shared.drivers.facts import parse_facts
from netraven_shared.drivers.pipeline import stored_output

GOLDEN = Path(__file__).parent / "golden"
CATALOG = DriverCatalog.load()
WITH_OUTPUTS = sorted(p.spec.platform for p in CATALOG.platforms() if p.spec.outputs)


def _stored_outputs(platform: str) -> dict[str, str]:
    spec = CATALOG.driver_for(platform)
    folder = GOLDEN / platform / "outputs"
    return {
        output.name: stored_output((folder / f"{output.name}.raw.txt").read_text(), spec, output)
        for output in spec.outputs
    }


@pytest.mark.parametrize("platform", WITH_OUTPUTS)
class TestOutputGoldens:
    def test_each_stored_output_matches_its_expected_file(self, platform: str) -> None:
        folder = GOLDEN / platform / "outputs"
        for name, text in _stored_outputs(platform).items():
            assert text == (folder / f"{name}.expected.txt").read_text(), name

    def test_the_facts_match_the_expected_ones(self, platform: str) -> None:
        expected = json.loads((GOLDEN / platform / "outputs" / "facts.json").read_text())
        facts = parse_facts(CATALOG.driver_for(platform), _stored_outputs(platform))
        assert facts == expected
        assert set(facts) == {"model", "serial_number", "os_version"}

    def test_no_stored_output_carries_an_uptime(self, platform: str) -> None:
        for text in _stored_outputs(platform).values():
            assert "uptime is" not in text.lower()
            assert not any(line.startswith("Uptime:") for line in text.splitlines())


class TestBuiltInsWithFacts:
    def test_the_main_platforms_keep_outputs_and_read_facts(self) -> None:
        main = {"cisco_ios", "cisco_xe", "cisco_nxos", "arista_eos", "juniper_junos"}
        assert main <= set(WITH_OUTPUTS)
        for platform in main:
            assert {fact.name for fact in CATALOG.driver_for(platform).facts} == {
                "model",
                "serial_number",
                "os_version",
            }


class TestParseFacts:
    def test_a_missing_output_or_no_match_leaves_the_fact_out(self) -> None:
        spec = CATALOG.driver_for("cisco_ios")
        assert parse_facts(spec, {}) == {}
        assert parse_facts(spec, {"version": "nothing to see\n"}) == {}

    def test_a_fact_can_be_read_from_the_config(self, tmp_path: Path) -> None:
        path = tmp_path / "acme.yaml"
        path.write_text(
            "platform: acme\nnetmiko_device_type: cisco_ios\n"
            "facts:\n  os_version: {output: config, pattern: '^version (\\S+)'}\n"
        )
        spec = read_driver_file(path).spec()
        assert parse_facts(spec, {"config": "hostname a\nversion 15.2\n"}) == {"os_version": "15.2"}


def _load(tmp_path: Path, body: str) -> DriverFileError:
    path = tmp_path / "acme.yaml"
    path.write_text("platform: acme\nnetmiko_device_type: cisco_ios\n" + body)
    with pytest.raises(DriverFileError) as raised:
        read_driver_file(path)
    return raised.value


class TestDriverFileValidation:
    def test_a_fact_naming_an_unknown_output_names_the_field(self, tmp_path: Path) -> None:
        error = _load(
            tmp_path,
            "outputs: [{name: version, command: show version}]\n"
            "facts:\n  model: {output: inventory, pattern: 'Model (\\S+)'}\n",
        )
        assert error.field == "facts.model.output"
        assert "'inventory' is not an output" in error.message

    def test_a_fact_pattern_without_a_group_is_refused(self, tmp_path: Path) -> None:
        error = _load(
            tmp_path,
            "outputs: [{name: version, command: show version}]\n"
            "facts:\n  serial_number: {output: version, pattern: 'Serial \\S+'}\n",
        )
        assert error.field == "facts.serial_number.pattern"
        assert "group 1" in error.message

    def test_an_unknown_fact_is_refused(self, tmp_path: Path) -> None:
        error = _load(tmp_path, "facts:\n  colour: {output: config, pattern: '(x)'}\n")
        assert error.field == "facts.colour"

    def test_output_names_are_slugs_and_unique(self, tmp_path: Path) -> None:
        error = _load(tmp_path, "outputs: [{name: 'Show Version', command: show version}]\n")
        assert error.field == "outputs.0.name"
        error = _load(
            tmp_path,
            "outputs: [{name: version, command: a}, {name: version, command: b}]\n",
        )
        assert error.field == "outputs"
        assert "version repeated" in error.message

    def test_an_output_may_not_be_called_config(self, tmp_path: Path) -> None:
        error = _load(tmp_path, "outputs: [{name: config, command: show startup-config}]\n")
        assert error.field == "outputs.0.name"

    def test_an_output_noise_pattern_must_compile(self, tmp_path: Path) -> None:
        error = _load(tmp_path, "outputs: [{name: version, command: a, noise: ['(']}]\n")
        assert error.field == "outputs.0.noise"

    def test_outputs_need_a_cli_input(self, tmp_path: Path) -> None:
        error = _load(tmp_path, "input: netconf\noutputs: [{name: version, command: a}]\n")
        assert error.field == "outputs"
        assert "outputs need cli" in error.message
