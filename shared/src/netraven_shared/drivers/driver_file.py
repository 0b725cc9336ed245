"""A driver as a file: the YAML document an operator writes, checked field by field.

```yaml
platform: acme_os              # the device_type devices name; lower case, digits, underscores
description: ACME OS switches  # shown in the dashboard's platform list
netmiko_device_type: cisco_ios # the Netmiko driver that logs in and finds the prompt
input: cli                     # or panos_xml_api, netconf: the commands are then not used
needs_enable: false            # enter enable mode (with the device's enable secret) first
setup_commands: [terminal length 0]
config_commands: [show running-config]   # each output is kept, in this order
noise: ['^! Last configuration change']  # regexes: a line matching one is dropped
redactions:                              # group 1 is kept, the rest of the match is the secret
  - {pattern: '^(\\s*password) \\S+', separator: ' '}
outputs:                       # more commands, each kept as its own file beside the config
  - {name: version, command: show version, noise: ['^.* uptime is ']}
facts:                         # group 1 of the first match, read from an output or "config"
  model: {output: version, pattern: '^Model: (\\S+)'}
  serial_number: {output: version, pattern: '^Serial: (\\S+)'}
  os_version: {output: version, pattern: '^Version (\\S+)'}
```
"""

import re
from pathlib import Path

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from netraven_shared.drivers.spec import CONFIG_OUTPUT, DriverSpec, Fact, Input, Output, Redaction

PLATFORM_PATTERN = r"^[a-z][a-z0-9_]{0,49}$"
OUTPUT_NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,29}$"  # a slug: it names a file in the device's history
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


class OutputEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=OUTPUT_NAME_PATTERN)
    command: str = Field(min_length=1, max_length=200)
    noise: list[str] = []

    @field_validator("noise")
    @classmethod
    def _noise_compiles(cls, patterns: list[str]) -> list[str]:
        return [_compiled(pattern) for pattern in patterns]

    @field_validator("name")
    @classmethod
    def _not_the_config(cls, name: str) -> str:
        if name == CONFIG_OUTPUT:
            raise ValueError("'config' is the running config itself: name this output otherwise")
        return name


class FactEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    output: str = Field(min_length=1)
    pattern: str = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _captures_group_one(cls, pattern: str) -> str:
        if re.compile(_compiled(pattern), re.MULTILINE).groups < 1:
            raise ValueError("needs a group 1: the fact's value")
        return pattern


class FactEntries(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: FactEntry | None = None
    serial_number: FactEntry | None = None
    os_version: FactEntry | None = None


class DriverFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform: str = Field(pattern=PLATFORM_PATTERN)
    description: str = Field(default="", max_length=200)
    netmiko_device_type: str = Field(min_length=1, max_length=50)
    input: Input = "cli"
    needs_enable: bool = False
    setup_commands: list[str] = []
    config_commands: list[str] = Field(default=["show running-config"], min_length=1)
    noise: list[str] = []
    redactions: list[RedactionEntry] = []
    outputs: list[OutputEntry] = Field(default=[], max_length=8)  # events.backups.MAX_OUTPUTS
    facts: FactEntries = FactEntries()

    @field_validator("noise")
    @classmethod
    def _noise_compiles(cls, patterns: list[str]) -> list[str]:
        return [_compiled(pattern) for pattern in patterns]

    @field_validator("outputs")
    @classmethod
    def _names_unique(cls, outputs: list[OutputEntry]) -> list[OutputEntry]:
        names = [output.name for output in outputs]
        if repeated := sorted({name for name in names if names.count(name) > 1}):
            raise ValueError(f"output names must differ: {', '.join(repeated)} repeated")
        return outputs

    @model_validator(mode="after")
    def _outputs_need_a_cli(self) -> "DriverFile":
        if self.outputs and self.input != "cli":
            raise _FieldError(
                ("outputs",),
                f"a driver with input '{self.input}' runs no commands: outputs need cli",
            )
        return self

    @model_validator(mode="after")
    def _facts_read_known_outputs(self) -> "DriverFile":
        known = [CONFIG_OUTPUT, *(output.name for output in self.outputs)]
        for name, entry in self.facts:
            if entry is not None and entry.output not in known:
                raise _FieldError(
                    ("facts", name, "output"),
                    f"'{entry.output}' is not an output of this driver "
                    f"(one of: {', '.join(known)})",
                )
        return self

    def spec(self) -> DriverSpec:
        return DriverSpec(
            platform=self.platform,
            netmiko_device_type=self.netmiko_device_type,
            needs_enable=self.needs_enable,
            setup_commands=tuple(self.setup_commands),
            config_commands=tuple(self.config_commands),
            noise=tuple(self.noise),
            redactions=tuple(Redaction(r.pattern, r.separator) for r in self.redactions),
            input=self.input,
            outputs=tuple(Output(o.name, o.command, tuple(o.noise)) for o in self.outputs),
            facts=tuple(
                Fact(name, entry.output, entry.pattern)
                for name, entry in self.facts
                if entry is not None
            ),
        )


class _FieldError(ValueError):
    """A check across fields that still names the one field at fault."""

    def __init__(self, loc: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


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
        cause = first.get("ctx", {}).get("error")
        loc = cause.loc if isinstance(cause, _FieldError) else first["loc"]
        field = ".".join(str(part) for part in loc)
        message = first["msg"].removeprefix("Value error, ")
        raise DriverFileError(path, field, message) from None
