"""`python -m netraven_worker.site_key generate --out FILE`: a remote site's key pair, made at the
site. The private key is written to FILE (mode 0600; NETRAVEN_SITE_KEY_FILE points the site's
collectors at it) and never leaves the site; the public key is printed, to register the site in
the api (`POST /api/sites`). `public --key FILE` prints the public key of an existing private key.
"""

import argparse
import os
import sys
from pathlib import Path

from netraven_shared.site_seal import (
    encoded,
    fingerprint,
    new_private_key,
    public_key_of,
    read_private_key,
)


def generate(out: Path) -> str:
    """Write a new private key to `out` (refusing to overwrite one) and return its public key."""
    key = new_private_key()
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(encoded(key) + "\n")
    return public_key_of(key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m netraven_worker.site_key")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="write a new private key, print its public key")
    make.add_argument("--out", type=Path, required=True)
    show = commands.add_parser("public", help="print the public key of a private key file")
    show.add_argument("--key", type=Path, required=True)
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "generate":
            public = generate(arguments.out)
        else:
            public = public_key_of(read_private_key(arguments.key))
    except (OSError, ValueError) as error:
        print(f"site_key: {error}", file=sys.stderr)
        return 1
    print(public)
    print(f"fingerprint {fingerprint(public)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
