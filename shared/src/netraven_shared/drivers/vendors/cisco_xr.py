"""IOS XR: Cisco-like, no enable; a timestamp before every show output and `encrypted` keys."""

from dataclasses import replace

from netraven_shared.drivers.spec import Redaction
from netraven_shared.drivers.vendors.cisco_ios import CISCO_IOS, SNMP_HOST_COMMUNITY

CISCO_XR = replace(
    CISCO_IOS,
    platform="cisco_xr",
    netmiko_device_type="cisco_xr",
    needs_enable=False,
    noise=CISCO_IOS.noise
    + (
        (
            r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
            r"+\d+ \d\d:\d\d:\d\d\.\d+ \S+$"
        ),
        r"^!! Last configuration change at .*$",
    ),
    # XR writes `password encrypted X` and `secret 10 X`, which the IOS rules would half-match:
    # its own set, in which each rule matches its own lines.
    redactions=(
        Redaction(r"^(\s*(?:secret|password)(?: \d+| encrypted)?) \S+"),
        Redaction(r"^(snmp-server community) \S+"),
        SNMP_HOST_COMMUNITY,
        Redaction(r"^(\s*(?:tacacs|radius)-server (?:host \S+ .*?)?key(?: \d)?) \S+"),
        Redaction(r"^(\s+key [0-7]) \S+"),
        Redaction(r"^(\s+key-string(?: password)?(?: \d| encrypted)?) \S+"),
        Redaction(r"^(\s*(?:ntp )?authentication-key(?: \d+ md5)?(?: \d| encrypted)?) \S+"),
        Redaction(r"^(\s+message-digest-key \d+ md5(?: \d| encrypted)?) \S+"),
        Redaction(r"^(\s+(?:lsp|hello)-password(?: hmac-md5| text)?(?: \d| encrypted)?) \S+"),
        Redaction(r"^(\s+pre-shared-key(?: \d| encrypted)?) \S+"),
    ),
)
