"""NX-OS: the Cisco-like default, no enable, its own header and SNMPv3 localized keys."""

from dataclasses import replace

from netraven_shared.drivers.spec import Redaction
from netraven_shared.drivers.vendors.cisco_ios import CISCO_IOS

CISCO_NXOS = replace(
    CISCO_IOS,
    platform="cisco_nxos",
    netmiko_device_type="cisco_nxos",
    needs_enable=False,
    noise=(
        r"^!Time: .*$",
        r"^!Running configuration last done at: .*$",
    ),
    redactions=CISCO_IOS.redactions
    + (
        # snmp-server user NAME ROLE auth md5 0x... priv aes-128 0x... localizedkey
        Redaction(r"^(snmp-server user \S+ .*?\bauth (?:md5|sha\S*)) \S+"),
        Redaction(r"^(snmp-server user \S+ .*?\bpriv(?: aes-128)?) \S+"),
    ),
)
