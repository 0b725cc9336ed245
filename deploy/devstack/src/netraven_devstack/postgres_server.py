"""A PostgreSQL cluster this process owns: initialised on first start, loopback only."""

import shutil
import signal
import tempfile
from pathlib import Path

from netraven_devstack.errors import ServerStartError
from netraven_devstack.lifecycle import StartStop
from netraven_devstack.orphans import kill_processes_working_in
from netraven_devstack.ports import LOOPBACK, ensure_port_free
from netraven_devstack.postgres_binaries import PostgresBinaries, find_postgres_binaries
from netraven_devstack.postgres_client import accepts_connections, create_database_if_missing
from netraven_devstack.postgres_initdb import initialise_cluster, is_initialised
from netraven_devstack.postgres_launcher import choose_launcher
from netraven_devstack.postgres_leftovers import SOCKET_DIR_PREFIX, clear_postgres_leftovers
from netraven_devstack.server_process import ServerProcess

# For throwaway test clusters: commits survive a crash of postgres, not of the machine.
FAST_SETTINGS = ("fsync=off", "full_page_writes=off")


class EmbeddedPostgres(StartStop):
    """`with EmbeddedPostgres(data_dir, port) as pg:` gives a server at `pg.url`.

    Data persists in `data_dir` across restarts; the log sits beside it, named after it
    (`.netraven/postgres` logs to `.netraven/postgres.log`). Authentication is `trust`, which is
    safe only because the server listens on 127.0.0.1 and a private unix socket directory.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int,
        user: str = "netraven",
        *,
        database: str = "netraven",
        fast: bool = False,
        bin_dir: Path | None = None,
        startup_timeout: float = 30.0,
        stop_timeout: float = 15.0,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port
        self.user = user
        self.database = database
        self.fast = fast
        self.bin_dir = bin_dir
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.log_path = self.data_dir.with_name(f"{self.data_dir.name}.log")
        self.socket_dir: Path | None = None
        self._process: ServerProcess | None = None

    @property
    def url(self) -> str:
        return self.url_for(self.database)

    def url_for(self, database: str) -> str:
        """SQLAlchemy URL for the asyncpg driver."""
        return f"postgresql+asyncpg://{self.user}@{LOOPBACK}:{self.port}/{database}"

    def dsn_for(self, database: str) -> str:
        """libpq-style DSN, for asyncpg.connect and psql."""
        return f"postgresql://{self.user}@{LOOPBACK}:{self.port}/{database}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.running

    def start(self) -> None:
        """Initialise the cluster if new, start it, await a real connection, create `database`."""
        if self.running:
            return
        clear_postgres_leftovers(self.data_dir)
        ensure_port_free(self.port, "PostgreSQL")
        binaries = self._binaries()
        launcher = choose_launcher()
        if not is_initialised(self.data_dir):
            initialise_cluster(self.data_dir, self.user, binaries, launcher, skip_sync=self.fast)
        # Unix socket paths are capped near 107 bytes, so the socket lives in a short private dir.
        self.socket_dir = Path(tempfile.mkdtemp(prefix=SOCKET_DIR_PREFIX))
        launcher.hand_over(self.data_dir, self.socket_dir)
        argv = launcher.argv(binaries.postgres, *self._server_args())
        self._process = ServerProcess("postgres", argv, self.log_path, **launcher.popen_kwargs())
        self._process.start()
        try:
            self._process.wait_until_ready(
                lambda: accepts_connections(self.dsn_for("postgres")), self.startup_timeout
            )
            self.ensure_database(self.database)
        except ServerStartError as error:
            self.stop()
            raise ServerStartError(f"{error}{launcher.hint}") from error
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Fast shutdown (SIGINT: abort sessions, checkpoint, exit); killed if it overruns."""
        if self._process is not None:
            self._process.stop(signal.SIGINT, self.stop_timeout)
            self._process = None
            kill_processes_working_in(self.data_dir, "postgres")
        self._remove_socket_dir()

    def ensure_database(self, name: str) -> bool:
        """Create database `name` unless it exists; True if it was created."""
        return create_database_if_missing(self.dsn_for("postgres"), name)

    def _binaries(self) -> PostgresBinaries:
        if self.bin_dir is None:
            return find_postgres_binaries()
        found = PostgresBinaries.in_dir(self.bin_dir)
        if found is None:
            raise ServerStartError(f"bin_dir {self.bin_dir} holds no initdb and postgres")
        return found

    def _server_args(self) -> list[str]:
        args = ["-D", str(self.data_dir), "-p", str(self.port), "-k", str(self.socket_dir)]
        settings = [f"listen_addresses={LOOPBACK}", *(FAST_SETTINGS if self.fast else ())]
        for setting in settings:
            args += ["-c", setting]
        return args

    def _remove_socket_dir(self) -> None:
        if self.socket_dir is not None:
            shutil.rmtree(self.socket_dir, ignore_errors=True)
            self.socket_dir = None
