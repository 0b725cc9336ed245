"""`make docs`: rewrite the tables the permission matrices generate: the bus identities of
docs/security.md and the database roles of docs/operations.md. A file's `<!-- name: -->` block is
filled from the matrix of that name; a file given must hold at least one."""

import re
import sys
from collections.abc import Callable
from pathlib import Path

from netraven_shared.db.service_grants import grants_table

from netraven_docs.permission_table import permission_table

TABLES: dict[str, Callable[[], str]] = {
    "identities": permission_table,
    "database-roles": grants_table,
}


def block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {name}:[^\n]*-->\n)(.*?)(<!-- /{name} -->)", re.DOTALL)


def main(path: Path) -> None:
    text = path.read_text()
    present = [name for name in TABLES if block(name).search(text)]
    if not present:
        raise SystemExit(
            f"{path} has no generated-table block "
            f"({', '.join(f'<!-- {name}: -->' for name in TABLES)}) to fill"
        )
    for name in present:
        text = filled(block(name), TABLES[name](), text)
    path.write_text(text)


def filled(pattern: re.Pattern[str], table: str, text: str) -> str:
    """`text` with the block `pattern` finds holding `table` between its markers."""
    return pattern.sub(lambda match: match.group(1) + table + match.group(3), text)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
