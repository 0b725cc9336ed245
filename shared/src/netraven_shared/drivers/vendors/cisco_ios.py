"""The Cisco-like default: IOS itself, and the base that XE, NX-OS, EOS, ASA, XR and OS10 extend.

Each redaction matches its own lines only, so the order of the tuple does not matter.
"""

from netraven_shared.drivers.spec import DriverSpec, Redaction

CISCO_IOS = DriverSpec(
    platform="cisco_ios",
    netmiko_device_type="cisco_ios",
    needs_enable=True,
    config_commands=("show running-config",),
    noise=(
        r"^Building configuration\.\.\.$",
        r"^Current configuration : \d+ bytes$",
        r"^! Last configuration change at .*$",
        r"^! NVRAM config last updated at .*$",
        r"^ntp clock-period \d+$",
    ),
    redactions=(
        Redaction(r"^(enable (?:secret|password)(?: level \d+)?(?: \d| sha512)?) \S+"),
        Redaction(r"^(username \S+ .*?\b(?:password|secret)(?: \d| sha512)?) \S+"),
        Redaction(r"^(snmp-server community) \S+"),
        Redaction(r"^((?:tacacs|radius)-server (?:host \S+ .*?)?key(?: \d)?) \S+"),
        Redaction(r"^(\s+key [0-7]) \S+"),  # `key 1` alone is a key chain id
        Redaction(r"^(ntp authentication-key \d+ (?:md5|sha1)(?: \d)?) \S+"),
        Redaction(r"^(\s+password(?: \d)?) \S+"),
        Redaction(r"^(crypto isakmp key(?: \d)?) \S+"),
        Redaction(r"^(\s+pre-shared-key(?: local| remote)?(?: \d)?) \S+"),
        Redaction(r"^(\s+ip ospf (?:authentication|message-digest)-key(?: \d+ md5)?(?: \d)?) \S+"),
        Redaction(r"^(\s*neighbor \S+ password(?: \d)?) \S+"),
        Redaction(r"^(\s+(?:area|domain)-password) \S+"),
        Redaction(r"^(\s+isis password) \S+"),
        Redaction(r"^(\s+key-string(?: \d)?) \S+"),
    ),
)
