"""A vendor is a small declaration: how to log in, what to collect, what to redact and drop."""

import re
from dataclasses import dataclass, field
from typing import Literal

REDACTED = "<redacted>"

# How the worker reads the config: the CLI over SSH (Netmiko), PAN-OS's XML API over HTTPS, or
# NETCONF <get-config> over SSH (docs/drivers.md, "Inputs").
Input = Literal["cli", "panos_xml_api", "netconf"]


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
class Output:
    """A command kept beside the config, as its own file: `show version` as `version`.

    `noise` drops lines of this output only (an uptime, a clock), after the driver's own noise."""

    name: str
    command: str
    noise: tuple[str, ...] = ()


CONFIG_OUTPUT = "config"  # what a fact names to be read from the running config itself
FACT_NAMES = ("model", "serial_number", "os_version")


@dataclass(frozen=True)
class Fact:
    """`name` (one of FACT_NAMES) is group 1 of `pattern`'s first match in the output `output`."""

    name: str
    output: str
    pattern: str


@dataclass(frozen=True)
class DriverSpec:
    platform: str
    netmiko_device_type: str
    needs_enable: bool = False
    setup_commands: tuple[str, ...] = ()
    config_commands: tuple[str, ...] = ("show running-config",)
    noise: tuple[str, ...] = ()
    redactions: tuple[Redaction, ...] = field(default_factory=tuple)
    input: Input = "cli"
    outputs: tuple[Output, ...] = ()
    facts: tuple[Fact, ...] = ()
