"""A simulated SSH jump host: password auth, then `direct-tcpip` forwarding to devices by an
address only it knows.

`routes` maps what a client asks for (the address and port the inventory names, such as
10.255.0.1:22, which nothing answers outside the lab) to where the device really listens. A
destination it has no route for is refused as a connect failure; `refuse_forwarding` makes it
refuse every forward as "administratively prohibited", like a bastion whose sshd has
`AllowTcpForwarding no`.
"""

from collections.abc import Awaitable
from types import TracebackType
from typing import Self, cast

import asyncssh

from netraven_lab.host_key import load_or_create_host_key
from netraven_lab.loop_thread import LoopThread

Address = tuple[str, int]


class LabBastion:
    """Runs on a loop and thread of its own, like the `Lab` (see there why)."""

    def __init__(
        self,
        username: str,
        password: str,
        routes: dict[Address, Address],
        host: str = "127.0.0.1",
        host_key: asyncssh.SSHKey | None = None,
        port: int = 0,  # 0 picks a free port
    ) -> None:
        self.username = username
        self.password = password
        self.routes = dict(routes)
        self.host = host
        self._port = port
        self.refuse_forwarding = False
        self.auth_attempts: list[tuple[str, str]] = []
        self.forwarded: list[Address] = []  # destinations opened, as the client named them
        self._host_key = host_key or load_or_create_host_key()
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._thread: LoopThread | None = None

    @property
    def port(self) -> int:
        assert self._acceptor is not None, "bastion not started"
        return self._acceptor.get_port()

    @property
    def host_key_line(self) -> str:
        """Its public host key as a known_hosts line, as `ssh-keyscan` prints it."""
        public = self._host_key.export_public_key("openssh").decode().split()[:2]
        return f"[{self.host}]:{self.port} {' '.join(public)}"

    async def start(self) -> None:
        self._thread = LoopThread(name="netraven-lab-bastion")
        self._acceptor = await self._thread.run(self._listen())

    async def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        if self._acceptor is not None:
            acceptor = self._acceptor
            await thread.run(_closed(acceptor))
        await thread.close()

    async def _listen(self) -> asyncssh.SSHAcceptor:
        return await asyncssh.listen(
            self.host,
            self._port,
            server_factory=lambda: _BastionServer(self),
            server_host_keys=[self._host_key],
            allow_scp=False,
            agent_forwarding=False,
            x11_forwarding=False,
        )

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()


async def _closed(acceptor: asyncssh.SSHAcceptor) -> None:
    acceptor.close()
    await acceptor.wait_closed()


class _BastionServer(asyncssh.SSHServer):
    def __init__(self, bastion: LabBastion) -> None:
        self._bastion = bastion
        self._connection: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._connection = conn

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        self._bastion.auth_attempts.append((username, password))
        return username == self._bastion.username and password == self._bastion.password

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> Awaitable[asyncssh.SSHTCPSession[bytes]]:
        if self._bastion.refuse_forwarding:
            raise asyncssh.ChannelOpenError(
                asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "forwarding is not allowed"
            )
        route = self._bastion.routes.get((dest_host, dest_port))
        if route is None:
            raise asyncssh.ChannelOpenError(
                asyncssh.OPEN_CONNECT_FAILED, f"no route to {dest_host}:{dest_port}"
            )
        assert self._connection is not None
        self._bastion.forwarded.append((dest_host, dest_port))
        forwarded = self._connection.forward_connection(*route)
        return cast(Awaitable[asyncssh.SSHTCPSession[bytes]], forwarded)
