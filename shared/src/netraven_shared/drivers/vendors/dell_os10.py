"""Dell OS10: Cisco-like syntax, no enable, `show running-configuration`."""

from dataclasses import replace

from netraven_shared.drivers.spec import Redaction
from netraven_shared.drivers.vendors.cisco_ios import CISCO_IOS

DELL_OS10 = replace(
    CISCO_IOS,
    platform="dell_os10",
    netmiko_device_type="dell_os10",
    needs_enable=False,
    config_commands=("show running-configuration",),
    noise=(
        r"^! Last configuration change at .*$",
        r"^! Startup-config last updated at .*$",
    ),
    redactions=CISCO_IOS.redactions
    + (
        Redaction(r"^(system-user \S+ password) \S+"),  # the Linux shell account
        # snmp-server user NAME GROUP 3 [encrypted] auth sha X priv aes Y
        Redaction(r"^(snmp-server user \S+ .*?\bauth (?:md5|sha)) \S+"),
        Redaction(r"^(snmp-server user \S+ .*?\bpriv (?:des|aes)) \S+"),
    ),
)
