"""FortiOS: `show` (non-default settings); each `ENC` value is a secret, re-encrypted on display."""

from netraven_shared.drivers.spec import DriverSpec, Redaction

FORTINET = DriverSpec(
    platform="fortinet",
    netmiko_device_type="fortinet",
    config_commands=("show",),
    noise=(r"^#conf_file_ver=.*$",),
    redactions=(
        Redaction(r"^(\s+set \S+ ENC) \S+"),
        Redaction(
            r"^(\s+set (?:passwd|password|secondary-secret|rsso-secret|psksecret|secret|key))"
            r" (?!ENC )\S+"
        ),
        Redaction(r"^(\s+set private-key) \"[^\"]*\""),  # a PEM block, several lines
        # the community string is the `set name` of each entry of this one block
        Redaction(r"^(config system snmp community\n(?:(?!end$).*\n)*?\s+set name) \"[^\"]*\""),
    ),
)
