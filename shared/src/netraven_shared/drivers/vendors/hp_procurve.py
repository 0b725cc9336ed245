"""HPE ProCurve / ArubaOS-Switch: secrets are quoted after `key`, `community` or a hash type."""

from netraven_shared.drivers.spec import DriverSpec, Redaction

_VALUE = r"(?:\"[^\"]*\"|\S+)"

HP_PROCURVE = DriverSpec(
    platform="hp_procurve",
    netmiko_device_type="hp_procurve",
    needs_enable=True,
    config_commands=("show running-config",),
    noise=(r"^; .*Configuration Editor; Created on release .*$",),
    redactions=(
        Redaction(
            rf"^(password (?:manager|operator)(?: user-name {_VALUE})?"
            rf" (?:sha1|sha256|plaintext)) {_VALUE}"
        ),
        Redaction(rf"^(snmp-server community) {_VALUE}"),
        Redaction(rf"^((?:radius|tacacs)-server (?:host \S+ )?(?:encrypted-)?key) {_VALUE}"),
        Redaction(rf"^(snmpv3 user {_VALUE} auth (?:md5|sha)) {_VALUE}"),
        Redaction(rf"^(snmpv3 user {_VALUE} .*?\bpriv(?: des| aes)?) {_VALUE}"),
        Redaction(rf"^(\s+(?:ip ospf(?: \S+)? )?md5-auth-key-chain) {_VALUE}"),
        Redaction(rf"^(\s+authentication-key) {_VALUE}"),
    ),
)
