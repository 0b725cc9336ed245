"""MikroTik RouterOS: `/export terse`, one full command per line; secrets are `name=value` pairs."""

from netraven_shared.drivers.spec import DriverSpec, Redaction

_SECRET_PARAMETERS = (
    "password",
    "secret",
    "passphrase",
    "wpa-pre-shared-key",
    "wpa2-pre-shared-key",
    "authentication-password",
    "encryption-password",
    "authentication-key",
    "auth-key",
    "tcp-md5-key",
    "private-key",
    "preshared-key",
)
_VALUE = r"(?:\"(?:[^\"\\]|\\.)*\"|\S+)"

MIKROTIK_ROUTEROS = DriverSpec(
    platform="mikrotik_routeros",
    netmiko_device_type="mikrotik_routeros",
    config_commands=("/export terse",),
    noise=(r"^# \S+ \d\d:\d\d:\d\d by RouterOS .*$",),
    redactions=(
        Redaction(rf"( (?:{'|'.join(_SECRET_PARAMETERS)})=){_VALUE}", separator=""),
        Redaction(rf"^(/snmp community (?:add|set) .*?\bname=){_VALUE}", separator=""),
    ),
)
