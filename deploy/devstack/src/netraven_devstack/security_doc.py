"""`make docs`: rewrite the identity table of docs/security.md from the permission matrix."""

import re
import sys
from pathlib import Path

from netraven_shared.bus_identities import permission_table

BLOCK = re.compile(r"(<!-- identities:[^\n]*-->\n)(.*?)(<!-- /identities -->)", re.DOTALL)


def main(path: Path) -> None:
    text = path.read_text()
    if BLOCK.search(text) is None:
        raise SystemExit(f"{path} has no <!-- identities: --> block to fill")
    path.write_text(BLOCK.sub(lambda match: match.group(1) + permission_table() + match.group(3), text))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
