"""Golden tests: a recorded session's raw output in, the stored config out."""

from pathlib import Path

import pytest
from netmiko.ssh_dispatcher import CLASS_MAPPER
from netraven_shared.drivers.catalog import DriverCatalog, UnknownPlatform
from netraven_shared.drivers.pipeline import clean, redact, stored_config, strip_noise
from netraven_shared.drivers.secret_check import read_secrets, surviving_secrets
from netraven_shared.drivers.spec import DriverSpec, Redaction

GOLDEN = Path(__file__).parent / "golden"
CATALOG = DriverCatalog.load()
DRIVERS = {platform.spec.platform: platform.spec for platform in CATALOG.platforms()}
# every recorded session (`<platform>/`) and every focused case (`<platform>/cases/<class>/`): the
# same three files
GOLDENS = sorted(path.parent.relative_to(GOLDEN) for path in GOLDEN.glob("**/raw.txt"))
# a second recorded poll of the same config, where the device printed its secrets re-encrypted
REPOLLED = sorted(path.parent.name for path in GOLDEN.glob("*/repoll.txt"))


def _stored(golden: Path) -> str:
    return stored_config(
        (GOLDEN / golden / "raw.txt").read_text(), CATALOG.driver_for(golden.parts[0])
    )


@pytest.mark.parametrize("golden", GOLDENS, ids=str)
class TestGolden:
    def test_stored_config_matches_the_expected_file(self, golden: Path) -> None:
        assert _stored(golden) == (GOLDEN / golden / "expected.cfg").read_text()

    def test_no_secret_survives(self, golden: Path) -> None:
        secrets = read_secrets((GOLDEN / golden / "secrets.txt").read_text())
        assert secrets
        assert surviving_secrets(secrets, _stored(golden)) == []

    def test_the_output_is_stable(self, golden: Path) -> None:
        once = _stored(golden)
        assert stored_config(once, CATALOG.driver_for(golden.parts[0])) == once


@pytest.mark.parametrize("platform", REPOLLED)
class TestReEncryptedSecrets:
    def test_a_second_poll_with_new_ciphertexts_stores_the_same_config(self, platform: str) -> None:
        first, second = (
            (GOLDEN / platform / name).read_text() for name in ("raw.txt", "repoll.txt")
        )
        assert first != second
        assert stored_config(second, CATALOG.driver_for(platform)) == stored_config(
            first, CATALOG.driver_for(platform)
        )


class TestReEncryptingPlatformsAreCovered:
    def test_huawei_junos_fortios_and_cisco_type_7_have_a_second_poll(self) -> None:
        assert {"huawei", "juniper_junos", "fortinet", "cisco_ios"} <= set(REPOLLED)


class TestFamilies:
    """Files cannot extend one another: the rules a family shares are copied, and kept in step."""

    @pytest.mark.parametrize("platform", ["cisco_xe", "arista_eos", "cisco_nxos", "dell_os10"])
    def test_a_cisco_like_driver_starts_with_every_ios_rule(self, platform: str) -> None:
        ios = DRIVERS["cisco_ios"].redactions
        assert DRIVERS[platform].redactions[: len(ios)] == ios

    def test_huawei_and_comware_share_the_vrp_rules(self) -> None:
        assert DRIVERS["huawei"].redactions == DRIVERS["hp_comware"].redactions

    def test_vyos_and_edgeos_share_the_vyatta_rules(self) -> None:
        assert DRIVERS["vyos"].redactions == DRIVERS["ubiquiti_edgeos"].redactions


class TestRegistry:
    def test_every_driver_has_a_golden_session(self) -> None:
        assert set(DRIVERS) == {p.name for p in GOLDEN.iterdir()}
        assert {golden.parts[0] for golden in GOLDENS if len(golden.parts) == 1} == set(DRIVERS)

    def test_unknown_platform_names_the_supported_ones(self) -> None:
        with pytest.raises(UnknownPlatform) as error:
            CATALOG.driver_for("acme_os")
        assert f"(supported: {', '.join(sorted(DRIVERS))})" in str(error.value)
        assert "cisco_ios" in str(error.value)

    def test_every_driver_names_a_real_netmiko_device_type(self) -> None:
        assert [
            s.platform for s in DRIVERS.values() if s.netmiko_device_type not in CLASS_MAPPER
        ] == []


class TestClean:
    def test_normalises_line_endings_and_trailing_space(self) -> None:
        assert clean("\r\n\r\nhostname a  \r\n!\r\n\r\n") == "hostname a\n!\n"


def _spec(*redactions: Redaction) -> DriverSpec:
    return DriverSpec(platform="test", netmiko_device_type="generic", redactions=redactions)


class TestRedact:
    def test_keeps_group_one_and_replaces_the_rest_of_the_match(self) -> None:
        spec = _spec(Redaction(r"^(snmp-server community) \S+"))
        assert (
            redact("snmp-server community s3cret RO\n", spec)
            == "snmp-server community <redacted> RO\n"
        )

    def test_an_empty_separator_joins_the_marker_to_the_kept_text(self) -> None:
        spec = _spec(
            Redaction(r"( password=)\S+", separator=""), Redaction(r"(<phash>)[^<]+", separator="")
        )
        text = "/user add name=a password=x1\n<phash>$5$ab</phash>\n"
        assert (
            redact(text, spec)
            == "/user add name=a password=<redacted>\n<phash><redacted></phash>\n"
        )

    def test_a_block_scoped_pattern_redacts_every_entry_of_the_block(self) -> None:
        spec = _spec(Redaction(r'^(config snmp\n(?:(?!end$).*\n)*?\s+set name) "[^"]*"'))
        text = (
            'config snmp\n  set name "c1"\n  set name "c2"\nend\n'
            'config policy\n  set name "web"\nend\n'
        )
        expected = (
            "config snmp\n  set name <redacted>\n  set name "
            '<redacted>\nend\nconfig policy\n  set name "web"\nend\n'
        )
        assert redact(text, spec) == expected


class TestFallback:
    """What no vendor rule names still goes: `_spec()` has no rules of its own."""

    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            ("login password=Hunter2x", "login password=<redacted>"),
            ('"password": "Hunter 2x",', '"password": <redacted>,'),
            ("shared-secret: Hunter2x", "shared-secret: <redacted>"),
            ("radius key 0 Hunter2x timeout 5", "radius key 0 <redacted> timeout 5"),
            ("set secret ENC Hunter2x", "set secret ENC <redacted>"),
            ("snmp v2 community Hunter2x", "snmp v2 community <redacted>"),
            (
                "mirror https://admin:Hunter2x@repo.example.net/x",
                "mirror https://admin:<redacted>@repo.example.net/x",
            ),
            ("<vpn-psk>Hunter2x</vpn-psk>", "<vpn-psk><redacted></vpn-psk>"),
            (
                "identity add auth-method=pre-shared-key secret=Hunter2x",
                "identity add auth-method=pre-shared-key secret=<redacted>",
            ),
        ],
    )
    def test_a_keyword_and_its_value(self, line: str, expected: str) -> None:
        assert redact(line + "\n", _spec()) == expected + "\n"

    def test_every_secret_of_a_line_goes(self) -> None:
        line = "user add name=a password=x1 secret=y2 psk=z3\n"
        assert redact(line, _spec()) == (
            "user add name=a password=<redacted> secret=<redacted> psk=<redacted>\n"
        )

    def test_a_quoted_value_running_over_a_line_end(self) -> None:
        assert (
            redact('secret "first half\nsecond half"\nhostname a\n', _spec())
            == "secret <redacted>\nhostname a\n"
        )

    def test_a_hash_printed_on_the_line_after_its_command(self) -> None:
        text = 'password manager\n  sha1 "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"\nhostname a\n'
        assert redact(text, _spec()) == "password manager\n  sha1 <redacted>\nhostname a\n"

    @pytest.mark.parametrize(
        "line",
        [
            "key chain BGP-KEYS",
            " key 12",
            "ntp server 10.0.0.1 key 3 prefer",
            "password encryption aes",
            "password {",
            "set community 65000:100 additive",
            " description the password is on the wiki",
            "secret 5 <redacted>",
            "ssh pubkey-chain",
            "no password strength-check",
            "ssh key rsa 2048",
        ],
    )
    def test_what_only_looks_like_a_secret_stays(self, line: str) -> None:
        assert redact(line + "\n", _spec()) == line + "\n"


class TestStripNoise:
    def test_drops_a_line_any_noise_pattern_matches_from_its_start(self) -> None:
        spec = DriverSpec(
            platform="test",
            netmiko_device_type="generic",
            noise=(
                r"^Building configuration\.\.\.$",
                r"^! Last change at .*$",
                r"ntp clock-period",
            ),
        )
        text = (
            "Building configuration...\nhostname a\n! Last change at 10:00\n x ntp clock-period\n"
        )
        assert strip_noise(text, spec) == "hostname a\n x ntp clock-period\n"

    def test_keeps_every_line_without_noise_patterns(self) -> None:
        assert strip_noise("! Last change at 10:00\nhostname a\n", _spec()) == (
            "! Last change at 10:00\nhostname a\n"
        )
