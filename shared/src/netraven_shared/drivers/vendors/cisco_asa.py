"""Cisco ASA: Cisco-like login and enable; `more system:running-config` shows keys unmasked."""

from dataclasses import replace

from netraven_shared.drivers.spec import Redaction
from netraven_shared.drivers.vendors.cisco_ios import CISCO_IOS

CISCO_ASA = replace(
    CISCO_IOS,
    platform="cisco_asa",
    netmiko_device_type="cisco_asa",
    config_commands=("more system:running-config",),
    noise=(
        r"^: Written by .*$",
        r"^Cryptochecksum:.*$",
    ),
    redactions=(
        Redaction(r"^(enable password(?: level \d+)?) \S+"),
        Redaction(r"^(passwd) \S+"),
        Redaction(r"^(username \S+ password) \S+"),
        Redaction(r"^(snmp-server community) \S+"),
        Redaction(r"^(snmp-server host .*?\bcommunity) \S+"),
        # the key of an aaa-server host block, so that a key chain's `key 1` (an id) stays
        Redaction(r"^(aaa-server \S+ (?:\(\S+\) )?host \S+\n(?: .*\n)*? key) \S+"),
        Redaction(r"^(\s+ikev1 pre-shared-key) \S+"),
        Redaction(r"^(\s+ikev2 (?:local|remote)-authentication pre-shared-key) \S+"),
        Redaction(r"^(failover key) \S+"),
        Redaction(r"^(\s+key-string) \S+"),
        Redaction(r"^(ntp authentication-key \d+ md5) \S+"),
        Redaction(r"^(\s+ospf (?:authentication|message-digest)-key(?: \d+ md5)?) \S+"),
        Redaction(r"^(\s+neighbor \S+ password(?: \d)?) \S+"),
        Redaction(r"^(\s+ldap-login-password) \S+"),  # an LDAP aaa-server host's bind password
    ),
)
