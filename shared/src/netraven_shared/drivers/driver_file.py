"""A driver as a file: the YAML document an operator writes, checked field by field.

```yaml
platform: acme_os              # the device_type devices name; lower case, digits, underscores
description: ACME OS switches  # shown in the dashboard's platform list
netmiko_device_type: cisco_ios # the Netmiko driver that logs in and finds the prompt
netmiko_telnet_device_type: cisco_ios_telnet  # optional: its Telnet driver (devices may opt in)
needs_enable: false            # enter enable mode (with the device's enable secret) first
setup_commands: [terminal length 0]
config_commands: [show running-config]   # each output is kept, in this order
noise: ['^! Last configuration change']  # regexes: a line matching one is dropped
redactions:                              # group 1 is kept, the rest of the match is the secret
  - {pattern: '^(\\s*password) \\S+', separator: ' '}
```
"""

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from netraven_shared.drivers.spec import DriverSpec, Redaction

PLATFORM_PATTERN = r"^[a-z][a-z0-9_]{0,49}$"
# libyaml's safe loader when PyYAML has it: a seventh of the pure-Python one's time per file
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DriverFileError(ValueError):
    """A driver file that does not load, naming the file and the field."""

    def __init__(self, file: Path, field: str, message: str) -> None:
        self.file, self.field, self.message = str(file), field, message
        where = f"{self.file}: {field}" if field else self.file
        super().__init__(f"{where}: {message}")


def _compiled(pattern: str) -> str:
    try:
        re.compile(pattern, re.MULTILINE)
    except re.error as error:
        raise ValueError(f"not a regular expression ({error})") from None
    return pattern


class RedactionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pattern: str = Field(min_length=1)
    separator: str = " "

    @field_validator("pattern")
    @classmethod
    def _keeps_group_one(cls, pattern: str) -> str:
        if re.compile(_compiled(pattern), re.MULTILINE).groups < 1:
            raise ValueError("needs a group 1: the text kept before the redacted secret")
        return pattern


class DriverFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform: str = Field(pattern=PLATFORM_PATTERN)
    description: str = Field(default="", max_length=200)
    netmiko_device_type: str = Field(min_length=1, max_length=50)
    netmiko_telnet_device_type: str | None = Field(default=None, min_length=1, max_length=50)
    needs_enable: bool = False
    setup_commands: list[str] = []
    config_commands: list[str] = Field(default=["show running-config"], min_length=1)
    noise: list[str] = []
    redactions: list[RedactionEntry] = []

    @field_validator("noise")
    @classmethod
    def _noise_compiles(cls, patterns: list[str]) -> list[str]:
        return [_compiled(pattern) for pattern in patterns]

    def spec(self) -> DriverSpec:
        return DriverSpec(
            platform=self.platform,
            netmiko_device_type=self.netmiko_device_type,
            netmiko_telnet_device_type=self.netmiko_telnet_device_type,
            needs_enable=self.needs_enable,
            setup_commands=tuple(self.setup_commands),
            config_commands=tuple(self.config_commands),
            noise=tuple(self.noise),
            redactions=tuple(Redaction(r.pattern, r.separator) for r in self.redactions),
        )


def read_driver_file(path: Path) -> DriverFile:
    """The driver in `path`; `DriverFileError` names the file and the field when it is not one."""
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, UnicodeDecodeError) as error:
        raise DriverFileError(path, "", f"cannot be read ({error})") from None
    except yaml.YAMLError as error:
        raise DriverFileError(path, "", f"is not valid YAML ({error})") from None
    if not isinstance(document, dict):
        raise DriverFileError(path, "", "must be a YAML mapping of the driver's fields")
    try:
        return DriverFile.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise DriverFileError(path, field, message) from None
