"""An operator's driver files join the built-ins; a broken one is named with its field, alone."""

from pathlib import Path

import pytest
from netraven_shared.drivers import catalog as catalog_module
from netraven_shared.drivers.catalog import (
    BUILTIN_DIR,
    DriverCatalog,
    UnknownPlatform,
    load_catalog_logging_errors,
)
from netraven_shared.drivers.driver_file import DriverFileError
from netraven_shared.drivers.pipeline import stored_config
from structlog.testing import capture_logs

ACME = """\
platform: acme_os
description: ACME OS switches
netmiko_device_type: cisco_ios
setup_commands: [terminal length 0]
noise: ['^! Last change']
redactions:
  - {pattern: '^(\\s*secret) \\S+'}
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text)
    return path


class TestTheBuiltIns:
    def test_are_the_described_files_of_the_package(self) -> None:
        platforms = DriverCatalog.load(None).platforms()
        files = {path.stem for path in BUILTIN_DIR.glob("*.yaml")}
        assert {p.spec.platform for p in platforms} == files and len(files) >= 15
        assert [p.spec.platform for p in platforms if p.source != "built-in"] == []
        assert [p.spec.platform for p in platforms if not p.description] == []

    def test_a_broken_one_is_raised_not_reported(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        write(tmp_path, "acme.yaml", ACME.replace("platform: acme_os", "platform: Acme OS"))
        monkeypatch.setattr(catalog_module, "BUILTIN_DIR", tmp_path)
        with pytest.raises(DriverFileError, match="platform"):
            DriverCatalog.load(None)


class TestALocalDriver:
    def test_joins_the_built_ins_marked_local(self, tmp_path: Path) -> None:
        write(tmp_path, "acme.yaml", ACME)
        catalog = DriverCatalog.load(tmp_path)
        sources = {p.spec.platform: p.source for p in catalog.platforms()}
        assert sources["acme_os"] == "local" and sources["cisco_ios"] == "built-in"
        assert catalog.errors == []

    def test_cleans_and_redacts_what_it_collects(self, tmp_path: Path) -> None:
        write(tmp_path, "acme.yaml", ACME)
        spec = DriverCatalog.load(tmp_path).driver_for("acme_os")
        raw = "! Last change 12:00\nhostname a\n secret hunter2\n"
        assert stored_config(raw, spec) == "hostname a\n secret <redacted>\n"


class TestInputs:
    def test_the_cli_unless_the_file_names_another(self, tmp_path: Path) -> None:
        write(tmp_path, "acme.yaml", ACME)
        write(tmp_path, "acme_api.yaml", ACME.replace("acme_os", "acme_api") + "input: netconf\n")
        catalog = DriverCatalog.load(tmp_path)
        assert catalog.driver_for("acme_os").input == "cli"
        assert catalog.driver_for("acme_api").input == "netconf"

    def test_the_api_built_ins_read_through_their_api(self) -> None:
        catalog = DriverCatalog.load()
        assert catalog.driver_for("paloalto_panos_api").input == "panos_xml_api"
        assert catalog.driver_for("juniper_junos_netconf").input == "netconf"
        assert catalog.driver_for("juniper_junos").input == "cli"


class TestABrokenFile:
    @pytest.mark.parametrize(
        ("text", "field", "says"),
        [
            (ACME.replace("platform: acme_os", "platform: Acme OS"), "platform", "pattern"),
            (ACME + "colour: blue\n", "colour", "Extra inputs"),
            (ACME.replace("'^! Last change'", "'^(unclosed'"), "noise", "not a regular expression"),
            (ACME.replace("(\\s*secret) ", "\\s*secret "), "redactions.0.pattern", "group 1"),
            (ACME.replace("netmiko_device_type: cisco_ios\n", ""), "netmiko_device_type", "Field"),
            (ACME + "input: snmp\n", "input", "'cli', 'panos_xml_api' or 'netconf'"),
        ],
    )
    def test_is_named_with_its_field_and_the_others_still_load(
        self, tmp_path: Path, text: str, field: str, says: str
    ) -> None:
        broken = write(tmp_path, "broken.yaml", text)
        write(tmp_path, "good.yaml", ACME.replace("acme_os", "acme_two"))
        catalog = DriverCatalog.load(tmp_path)
        [error] = catalog.errors
        assert (error.file, error.field) == (str(broken), field) and says in error.message
        assert catalog.driver_for("acme_two").netmiko_device_type == "cisco_ios"

    def test_that_is_not_yaml_is_named(self, tmp_path: Path) -> None:
        write(tmp_path, "bad.yaml", "platform: [unclosed\n")
        [error] = DriverCatalog.load(tmp_path).errors
        assert error.field == "" and "not valid YAML" in str(error)

    def test_taking_a_built_in_name_is_refused(self, tmp_path: Path) -> None:
        write(tmp_path, "ios.yaml", ACME.replace("acme_os", "cisco_ios"))
        catalog = DriverCatalog.load(tmp_path)
        [error] = catalog.errors
        assert error.field == "platform" and "already a built-in driver" in error.message
        assert catalog.driver_for("cisco_ios").netmiko_device_type == "cisco_ios"

    def test_is_an_error_line_of_the_service_at_its_start(self, tmp_path: Path) -> None:
        broken = write(tmp_path, "broken.yaml", ACME + "colour: blue\n")
        with capture_logs() as logs:
            catalog = load_catalog_logging_errors(tmp_path)
        assert [(e["log_level"], e["event"], e["file"], e["field"]) for e in logs] == [
            ("error", "drivers.file_invalid", str(broken), "colour")
        ]
        assert "Extra inputs" in logs[0]["error"] and catalog.driver_for("cisco_ios")


def test_an_unknown_platform_names_the_supported_ones() -> None:
    with pytest.raises(UnknownPlatform, match="supported: .*cisco_ios"):
        DriverCatalog.load(None).driver_for("acme_os")
