"""PAN-OS: the running config as XML; secrets are element texts (`<phash>`, `<key>`, ...)."""

from netraven_shared.drivers.spec import DriverSpec, Redaction

_SECRET_ELEMENTS = (
    "phash",
    "key",
    "secret",
    "password",
    "authpwd",
    "privpwd",
    "snmp-community-string",
    "private-key",
    "bind-password",
    "auth-password",
)
_SECRET_WORDS = "|".join(_SECRET_ELEMENTS)

PALOALTO_PANOS = DriverSpec(
    platform="paloalto_panos",
    netmiko_device_type="paloalto_panos",
    setup_commands=("set cli config-output-format xml",),
    config_commands=("show config running",),
    redactions=(
        Redaction(rf"(<(?:{_SECRET_WORDS})>)[^<]+", separator=""),
        # the same config in `set cli config-output-format set`: `set ... bind-password X`
        Redaction(rf"^(set .*? (?:{_SECRET_WORDS})) (?:\"[^\"]*\"|\S+)"),
    ),
)
