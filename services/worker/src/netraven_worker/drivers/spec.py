"""A vendor is a small declaration: how to log in, what to collect, what to redact and drop."""

import re
from dataclasses import dataclass, field

REDACTED = "<redacted>"


@dataclass(frozen=True)
class Redaction:
    """`pattern` must capture the text to keep in group 1; the rest of the match is the secret."""

    pattern: str

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.MULTILINE)


@dataclass(frozen=True)
class DriverSpec:
    platform: str
    netmiko_device_type: str
    needs_enable: bool = False
    setup_commands: tuple[str, ...] = ()
    config_commands: tuple[str, ...] = ("show running-config",)
    noise: tuple[str, ...] = ()
    redactions: tuple[Redaction, ...] = field(default_factory=tuple)
