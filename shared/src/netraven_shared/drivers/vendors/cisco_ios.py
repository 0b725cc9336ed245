"""The Cisco-like default: IOS itself, and the base that XE, NX-OS, EOS, ASA, XR and OS10 extend.

Each redaction matches its own lines only, so the order of the tuple does not matter.
"""

from netraven_shared.drivers.spec import DriverSpec, Redaction

_TYPE = r"(?: \d(?= \S))?+"  # `key 7 X`, `password 0 X`: an encryption type, when a value follows

# `snmp-server host A [vrf V] [informs|traps] [clear|encrypted] [version 1|2c]
# COMMUNITY [udp-port N]`; for `version 3` the word there is a user name, and
# `use-vrf`/`source-interface` lines carry none
SNMP_HOST_COMMUNITY = Redaction(
    r"^(snmp-server host \S+(?: (?:vrf \S+|informs|traps|clear|encrypted|version (?:1|2c)))*+)"
    r" (?!version |use-vrf |filter-vrf |source-interface )\S+"
)

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
        Redaction(r"^(\s+pre-shared-key(?: local| remote)?(?: \d)?) (?!address |hostname )\S+"),
        Redaction(
            rf"^(\s+pre-shared-key (?:address|hostname) .*?\bkey{_TYPE}) \S+"
        ),  # crypto keyring
        Redaction(r"^(\s+ip ospf (?:authentication|message-digest)-key(?: \d+ md5)?(?: \d)?) \S+"),
        Redaction(r"^(\s*neighbor \S+ password(?: \d)?) \S+"),
        Redaction(r"^(\s+(?:area|domain)-password) \S+"),
        Redaction(r"^(\s+isis password) \S+"),
        Redaction(r"^(\s+key-string(?: \d)?) \S+"),
        # the key of a `radius server X` or `tacacs server X` block, typed or not; a key chain's
        # `key 1` stays
        Redaction(
            rf"^((?:radius|tacacs) server \S+\n(?: .*\n)*? (?:pac )?key{_TYPE}) (?!<redacted>)\S+"
        ),
        Redaction(rf"^(\s+server-private \S+ .*?\bkey{_TYPE}) \S+"),  # aaa group server blocks
        Redaction(
            rf"^(\s+(?:client \S+ .*?)?server-key{_TYPE}) \S+"
        ),  # aaa server radius dynamic-author
        SNMP_HOST_COMMUNITY,
        # HSRP and VRRP: `standby 1 authentication [text] X`, `... md5 key-string [7] X`; NX-OS in a
        # block
        Redaction(
            r"^(\s+(?:(?:standby|vrrp)(?: \d+)?(?: peer)? )?"
            rf"authentication md5 key-string{_TYPE}) \S+"
        ),
        Redaction(r"^(\s+(?:(?:standby|vrrp)(?: \d+)?(?: peer)? )?authentication text) \S+"),
        Redaction(r"^(\s+(?:standby|vrrp)(?: \d+)? authentication) (?!md5 |text )\S+"),
        Redaction(rf"^(\s+ppp (?:chap|pap) password{_TYPE}) \S+"),
        Redaction(rf"^(\s+ppp pap sent-username \S+ password{_TYPE}) \S+"),
        Redaction(r"^(\s+ip(?:v6)? nhrp authentication) \S+"),
        # autonomous AP `dot11 ssid` and IOS-XE WLC `wlan` PSKs
        Redaction(rf"^(\s+(?:wpa-psk|security wpa psk set-key) (?:ascii|hex){_TYPE}) \S+"),
    ),
)
