"""Operator filters run after the driver's rules: their secrets redacted, their noise dropped."""

import pytest
from netraven_shared.drivers.pipeline import (
    RunawayRedaction,
    apply_filters,
    redacts_its_own_marker,
    stored_config,
)
from netraven_shared.drivers.spec import REDACTED, DriverSpec, OperatorFilter, Redaction

SPEC = DriverSpec(
    platform="test_os",
    netmiko_device_type="cisco_ios",
    noise=("^! Last change",),
    redactions=(Redaction(r"^(enable secret \d) \S+"),),
)
RAW = (
    "! Last change at 10:00\r\n"
    "hostname core-1\n"
    "enable secret 5 $1$abc\n"
    "snmp-server location rack 12 building 4\n"
    "ntp clock-period 17208\n"
)
LOCATION = OperatorFilter("locations", 3, redactions=(Redaction(r"^(snmp-server location) .+"),))
CLOCK = OperatorFilter("clock", 1, noise=("^ntp clock-period",))


class TestStoredConfig:
    def test_without_filters_only_the_driver_applies(self) -> None:
        assert stored_config(RAW, SPEC) == (
            "hostname core-1\n"
            f"enable secret 5 {REDACTED}\n"
            "snmp-server location rack 12 building 4\n"
            "ntp clock-period 17208\n"
        )

    def test_filters_redact_and_drop_after_the_driver(self) -> None:
        assert stored_config(RAW, SPEC, [LOCATION, CLOCK]) == (
            f"hostname core-1\nenable secret 5 {REDACTED}\nsnmp-server location {REDACTED}\n"
        )


class TestApplyFilters:
    def test_counts_what_the_filters_changed_not_what_the_driver_did(self) -> None:
        stored = stored_config(RAW, SPEC)
        filtered = apply_filters(stored, [LOCATION, CLOCK])
        assert (filtered.redacted, filtered.dropped) == (1, 1)
        assert "rack 12" not in filtered.text

    def test_a_separator_goes_between_the_kept_text_and_the_marker(self) -> None:
        keyed = OperatorFilter("keys", 1, redactions=(Redaction(r"(key=)\S+", separator=""),))
        assert apply_filters("a key=s3cret b\n", [keyed]).text == f"a key={REDACTED} b\n"

    def test_no_match_changes_nothing(self) -> None:
        filtered = apply_filters("hostname a\n", [LOCATION, CLOCK])
        assert (filtered.text, filtered.redacted, filtered.dropped) == ("hostname a\n", 0, 0)


class TestRunaway:
    def test_a_rule_matching_its_own_output_stops_with_an_error(self) -> None:
        greedy = OperatorFilter("greedy", 2, redactions=(Redaction("(.)"),))
        with pytest.raises(
            RunawayRedaction, match="config filter 'greedy v2': redaction '\\(\\.\\)'"
        ):
            apply_filters("hostname a\n" * 100, [greedy])

    def test_a_rule_that_redacts_its_marker_is_told_apart(self) -> None:
        assert redacts_its_own_marker(Redaction("(.)"))
        assert redacts_its_own_marker(Redaction(r"([^\n]*)"))
        assert not redacts_its_own_marker(Redaction(r"^(snmp-server location) .+"))
        assert not redacts_its_own_marker(Redaction(r"(key=)\S+", separator=""))
