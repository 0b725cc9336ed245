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
        # under include-credentials; the hash type is `sha1` or `SHA1`, and may start the next line
        Redaction(
            rf"^(password (?:manager|operator|port-access)(?: user-name {_VALUE})?"
            rf"(?: |\n\s*)(?i:sha1|sha256|plaintext)) {_VALUE}"
        ),
        Redaction(rf"^(snmp-server host \S+(?: informs| traps)?(?: community)?) {_VALUE}"),
        Redaction(rf"^(snmp-server community) {_VALUE}"),
        Redaction(rf"^((?:radius|tacacs)-server (?:host \S+ )?(?:encrypted-)?key) {_VALUE}"),
        Redaction(rf"^(snmpv3 user {_VALUE} auth (?:md5|sha)) {_VALUE}"),
        Redaction(rf"^(snmpv3 user {_VALUE} .*?\bpriv(?: des| aes)?) {_VALUE}"),
        Redaction(rf"^(\s+(?:ip ospf(?: \S+)? )?md5-auth-key-chain) {_VALUE}"),
        Redaction(rf"^(\s+authentication-key) {_VALUE}"),
    ),
)
