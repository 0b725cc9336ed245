"""`python -m netraven_worker.drivers test FILE --session RECORDING [--secrets SECRETS]`.

Replays a recorded session (the output as the device printed it, prompts and pager leftovers
included) through a driver file, by the worker's own pipeline (`stored_config`). The config it
would store goes to stdout as it is, so that it can be saved as a golden's `expected.cfg`; which of
the given secrets (one a line) survive in it goes to stderr. Exits 2 when the driver file or an
input does not load, 1 when a secret survives, 0 otherwise.
"""

import argparse
import sys
from pathlib import Path

from netraven_shared.drivers.driver_file import read_driver_file
from netraven_shared.drivers.pipeline import stored_config
from netraven_shared.drivers.secret_check import read_secrets, surviving_secrets

INVALID = 2
SECRET_SURVIVES = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m netraven_worker.drivers")
    commands = parser.add_subparsers(dest="command", required=True)
    test = commands.add_parser(
        "test", help="replay a recorded session through a driver file; print what is stored"
    )
    test.add_argument("file", type=Path, help="the driver file (*.yaml)")
    test.add_argument(
        "--session", type=Path, required=True, help="the raw output as the device printed it"
    )
    test.add_argument("--secrets", type=Path, help="secrets that must not survive, one a line")
    return parser


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot be read ({error})") from None


def main(argv: list[str]) -> int:
    arguments = _parser().parse_args(argv)
    try:
        spec = read_driver_file(arguments.file).spec()  # DriverFileError names file and field
        raw = _read(arguments.session)
        secrets = read_secrets(_read(arguments.secrets)) if arguments.secrets else []
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return INVALID
    stored = stored_config(raw, spec)
    sys.stdout.write(stored)
    survivors = surviving_secrets(secrets, stored)
    if arguments.secrets:
        print(f"{len(survivors)} of {len(secrets)} secret(s) survive", file=sys.stderr)
    for secret in survivors:
        print(f"survives: {secret}", file=sys.stderr)
    return SECRET_SURVIVES if survivors else 0
