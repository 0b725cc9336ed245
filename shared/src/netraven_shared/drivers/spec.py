"""A vendor is a small declaration: how to log in, what to collect, what to redact and drop."""

import re
from dataclasses import dataclass, field

REDACTED = "<redacted>"


@dataclass(frozen=True)
class Redaction:
    """`pattern` must capture the text to keep in group 1; the rest of the match is the secret.

    `separator` goes between the kept text and the marker: a space for `password 7 <redacted>`,
    nothing for `password=<redacted>` or `<phash><redacted></phash>`. A pattern is applied until
    nothing changes, so one anchored on a block header (`^(config system snmp community\n...)`)
    redacts every entry of the block, one per pass.
    """

    pattern: str
    separator: str = " "

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.MULTILINE)


@dataclass(frozen=True)
class DriverSpec:
    platform: str
    netmiko_device_type: str
    # The Netmiko driver for Telnet sessions; None: the platform cannot be backed up over Telnet.
    netmiko_telnet_device_type: str | None = None
    needs_enable: bool = False
    setup_commands: tuple[str, ...] = ()
    config_commands: tuple[str, ...] = ("show running-config",)
    noise: tuple[str, ...] = ()
    redactions: tuple[Redaction, ...] = field(default_factory=tuple)
