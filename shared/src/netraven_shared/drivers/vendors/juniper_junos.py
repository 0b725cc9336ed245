"""Junos: hierarchical `show configuration`; quoted secrets, `$9$` ones re-encrypted on re-entry."""

from netraven_shared.drivers.spec import DriverSpec, Redaction

JUNIPER_JUNOS = DriverSpec(
    platform="juniper_junos",
    netmiko_device_type="juniper_junos",
    config_commands=("show configuration | no-more",),
    noise=(
        r"^## Last commit: .*$",
        r"^## Last changed: .*$",
    ),
    redactions=(
        Redaction(
            r"^(\s*(?:encrypted-password|secret|authentication-key|simple-password|"
            r"pre-shared-key (?:ascii-text|hexadecimal)|md5 \d+ key)) \"[^\"]*\""
        ),
        # snmp { community NAME { ... } }: not policy-options `community NAME members ...`
        Redaction(r"^(\s+community) (?!add |delete |set )(?:\"[^\"]*\"|[^\s;{]+)(?= \{$|;$)"),
        # any other `$9$` value is a secret by its format, whatever statement holds it
        Redaction(r"^(\s*\S.*?) \"\$9\$[^\"]*\""),
    ),
)
