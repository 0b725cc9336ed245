"""A driver's extra outputs (`show version`, `show inventory`, ...): run in the backup's session
after the config commands, then cleaned and redacted like the config and read for facts.

The config is what a backup is for: an extra command that fails never costs it. A command the
device rejects (`% Invalid input`, `unknown command`), or that stalls or breaks the session, is
recorded as missing with the reason, and the commands after a broken session are not tried; the
config collected before it is kept. Every text is redacted here, in the worker, before it leaves:
facts are read from the redacted texts, so a fact never carries a secret the pipeline removed.
"""

import re
from dataclasses import dataclass

from faststream.nats import NatsBroker
from netmiko.exceptions import NetmikoTimeoutException, ReadException
from netraven_shared.config_transport import backup_output
from netraven_shared.drivers.facts import parse_facts
from netraven_shared.drivers.pipeline import stored_output
from netraven_shared.drivers.spec import CONFIG_OUTPUT, DriverSpec, Output
from netraven_shared.events.backups import BackupOutput, DeviceFacts
from netraven_shared.events.base import fitted
from paramiko.ssh_exception import SSHException

from netraven_worker.connection import Shell, Stalled

# How CLIs say they did not run a command, on one of the output's first lines.
_REJECTED = re.compile(
    r"^\s*(?:% ?(?:invalid|incomplete|ambiguous|unknown)\b|\^?\s*(?:unknown command|syntax error)"
    r"|invalid command|error: )",
    re.IGNORECASE | re.MULTILINE,
)
_REJECTION_WINDOW_CHARS = 400


@dataclass(frozen=True)
class ExtraOutput:
    """What one extra command printed (`raw`), or why there is nothing (`missing`)."""

    name: str
    raw: str | None = None
    missing: str | None = None


def run_outputs(shell: Shell, outputs: tuple[Output, ...], timeout: float) -> list[ExtraOutput]:
    """Each output's command in turn; a rejected one is missing alone, a broken session ends the
    rest."""
    collected: list[ExtraOutput] = []
    for index, output in enumerate(outputs):
        try:
            raw = shell.send(output.command, timeout)
        except (
            Stalled,
            NetmikoTimeoutException,
            ReadException,
            SSHException,
            OSError,
            EOFError,
        ) as error:
            collected.append(
                ExtraOutput(output.name, missing=f"'{output.command}' failed: {error}")
            )
            collected += [
                ExtraOutput(
                    later.name, missing=f"not run: the session broke during '{output.command}'"
                )
                for later in outputs[index + 1 :]
            ]
            return collected
        if match := _REJECTED.search(raw[:_REJECTION_WINDOW_CHARS]):
            said = match.string[match.start() :].strip().splitlines()[0]
            collected.append(
                ExtraOutput(output.name, missing=f"the device rejected '{output.command}': {said}")
            )
            continue
        collected.append(ExtraOutput(output.name, raw=raw))
    return collected


def stored_outputs(spec: DriverSpec, extras: list[ExtraOutput]) -> dict[str, str]:
    """Each collected output through the pipeline, by name; missing ones are left out."""
    by_name = {output.name: output for output in spec.outputs}
    return {
        extra.name: stored_output(extra.raw, spec, by_name[extra.name]).replace("\x00", "")
        for extra in extras
        if extra.raw is not None and extra.name in by_name
    }


def facts_of(spec: DriverSpec, config: str, texts: dict[str, str]) -> DeviceFacts | None:
    facts = parse_facts(spec, {CONFIG_OUTPUT: config, **texts})
    return DeviceFacts.model_validate(facts) if facts else None


async def published_outputs(
    broker: NatsBroker, extras: list[ExtraOutput], texts: dict[str, str]
) -> list[BackupOutput]:
    """The outputs as `DeviceBackedUp` carries them, in the driver's order."""
    published = []
    for extra in extras:
        if extra.name in texts:
            published.append(await backup_output(broker, extra.name, texts[extra.name]))
        else:
            published.append(
                BackupOutput(name=extra.name, missing=fitted(extra.missing or "no output"))
            )
    return published
