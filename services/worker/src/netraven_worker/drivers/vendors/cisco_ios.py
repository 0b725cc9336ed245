from netraven_worker.drivers.spec import DriverSpec, Redaction

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
        Redaction(r"^(enable (?:secret|password)(?: \d)?) \S+"),
        Redaction(r"^(username \S+(?: privilege \d+)? (?:password|secret)(?: \d)?) \S+"),
        Redaction(r"^(snmp-server community) \S+"),
        Redaction(r"^((?:tacacs|radius)-server (?:host \S+ .*?)?key(?: \d)?) \S+"),
        Redaction(r"^(\s+key [0-7]) \S+"),
        Redaction(r"^(ntp authentication-key \d+ md5) \S+"),
        Redaction(r"^(\s+password(?: \d)?) \S+"),
        Redaction(r"^(crypto isakmp key) \S+"),
        Redaction(r"^(\s+ip ospf (?:authentication|message-digest)-key(?: \d+ md5)?(?: \d)?) \S+"),
        Redaction(r"^(\s+key-string(?: \d)?) \S+"),
    ),
)
