"""One simulated device on one TCP port: asyncssh password and public-key auth in front of the
exec shell."""

import asyncio
import time
from collections.abc import Callable
from typing import Self

import asyncssh

from netraven_lab.open_connections import OpenConnections
from netraven_lab.profiles import DeviceProfile
from netraven_lab.shell import Mode, greeting, respond
from netraven_lab.terminal import LineDiscipline

DeviceLookup = Callable[[], DeviceProfile]  # read per use, so config changes apply at once
AuthAttempts = list[tuple[str, str]]  # (username, password) in the order the device received them

_READ_SIZE = 4096
_USERAUTH_SERVICE = b"ssh-userauth"
# What a decade-old switch offers, and nothing newer (its host key signs with ssh-rsa only).
LEGACY_ALGORITHMS = {
    "kex_algs": ["diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1"],
    "encryption_algs": ["aes128-cbc", "aes256-cbc", "3des-cbc"],
    "mac_algs": ["hmac-sha1"],
}


class DeviceListener:
    """Accepts SSH sessions for one device until closed, then drops the sessions still open."""

    def __init__(self, device: DeviceLookup, host: str) -> None:
        self._device = device
        self._host = host
        self._attempts: AuthAttempts = []
        self._booted = time.monotonic()
        self._connections = OpenConnections()
        self._acceptor: asyncssh.SSHAcceptor | None = None

    @property
    def peak_connections(self) -> int:
        return self._connections.peak

    @property
    def auth_attempts(self) -> AuthAttempts:
        return list(self._attempts)

    @property
    def port(self) -> int:
        assert self._acceptor is not None, "listener not open"
        return self._acceptor.get_port()

    @classmethod
    async def open(
        cls,
        device: DeviceLookup,
        host: str,
        port: int,
        host_keys: list[asyncssh.SSHKey],
    ) -> Self:
        listener = cls(device, host)
        await listener._listen(port, host_keys)
        return listener

    async def present(self, host_keys: list[asyncssh.SSHKey]) -> None:
        """Listen again on the same port with other host keys; sessions already open stay open."""
        port = self.port
        await self._stop_listening()
        await self._listen(port, host_keys)

    async def _listen(self, port: int, host_keys: list[asyncssh.SSHKey]) -> None:
        legacy = self._device().legacy_ssh
        self._acceptor = await asyncssh.listen(
            self._host,
            port,
            server_factory=lambda: _DeviceAuth(self._device, self._connections, self._attempts),
            server_host_keys=[_ssh_rsa_only(key) for key in host_keys] if legacy else host_keys,
            process_factory=self._run_shell,
            line_editor=False,
            allow_scp=False,
            agent_forwarding=False,
            x11_forwarding=False,
            **(LEGACY_ALGORITHMS if legacy else {}),
        )

    async def close(self) -> None:
        await self._stop_listening()
        connections = list(self._connections)
        for connection in connections:
            # Like a device losing power: a polite disconnect message would be written to
            # clients that already left but whose goodbye the loop has not processed yet.
            connection.abort()
        await asyncio.gather(*(connection.wait_closed() for connection in connections))

    async def _stop_listening(self) -> None:
        if self._acceptor is not None:
            self._acceptor.close()
            await self._acceptor.wait_closed()

    async def _run_shell(self, process: asyncssh.SSHServerProcess[str]) -> None:
        self._connections.shell_started(process.get_extra_info("connection"))
        discipline = LineDiscipline()
        mode = Mode.USER_EXEC
        if self._device().hangs_after_login:
            return await _hang(process)
        process.stdout.write(greeting(self._device().hostname))
        while data := await _read(process):
            discipline.feed(data)
            while True:
                echo, line = discipline.next_line(echo=mode.echoes)
                process.stdout.write(echo)
                if line is None:
                    break
                device = self._device()
                if device.hangs_on is not None and line.strip() == device.hangs_on:
                    await process.stdout.drain()
                    return await _hang(process)
                if device.delay and line.strip():
                    await asyncio.sleep(device.delay)
                reply = respond(device, mode, line, time.monotonic() - self._booted)
                if reply.closed:
                    process.exit(0)
                    return
                mode = reply.mode
                process.stdout.write(reply.text)
                await process.stdout.drain()
        process.exit(0)


def _ssh_rsa_only(host_key: asyncssh.SSHKey) -> asyncssh.SSHKeyPair:
    keypair = asyncssh.load_keypairs([host_key])[0]
    keypair.host_key_algorithms = [b"ssh-rsa"]
    return keypair


async def _hang(process: asyncssh.SSHServerProcess[str]) -> None:
    """A wedged CLI: swallows every keystroke without a word until the client gives up."""
    while await _read(process):
        pass
    process.exit(0)


async def _read(process: asyncssh.SSHServerProcess[str]) -> str:
    """The next keystrokes, or "" once the client is gone; window resizes are ignored."""
    while True:
        try:
            return await process.stdin.read(_READ_SIZE)
        except asyncssh.TerminalSizeChanged:
            continue


class _DeviceAuth(asyncssh.SSHServer):
    def __init__(
        self,
        device: DeviceLookup,
        connections: set[asyncssh.SSHServerConnection],
        attempts: AuthAttempts,
    ) -> None:
        self._device = device
        self._connections = connections
        self._attempts = attempts
        self._connection: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._connection = conn
        self._connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._connection is not None:
            self._connections.discard(self._connection)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return self._device().accepts_passwords

    def public_key_auth_supported(self) -> bool:
        return bool(self._device().authorized_keys)

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        device = self._device()
        offered = key.export_public_key("openssh").split()[1]
        authorized = {line.split()[1] for line in device.authorized_keys}
        accepted = username == device.username and offered.decode() in authorized
        if not accepted and self._connection is not None:
            # paramiko asks for the ssh-userauth service again before each method it tries next
            # (the password after a refused key). OpenSSH and network gear allow that; asyncssh
            # allows one request only, so the lab reopens it, as a device would.
            self._connection._next_service = _USERAUTH_SERVICE
        return accepted

    def validate_password(self, username: str, password: str) -> bool:
        self._attempts.append((username, password))
        device = self._device()
        return username == device.username and password == device.password
