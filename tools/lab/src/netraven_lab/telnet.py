"""One simulated device over Telnet: an asyncio TCP server with IOS's Username:/Password: login in
front of the same CLI as the SSH devices (shell.py).

It negotiates no Telnet options and drops any the client sends (IAC sequences): Netmiko's Telnet
client needs nothing more. Like IOS it echoes what is typed, except the password.
"""

import asyncio
import time

from netraven_lab.profiles import DeviceProfile
from netraven_lab.server import AuthAttempts, DeviceLookup
from netraven_lab.shell import Mode, greeting, respond
from netraven_lab.terminal import LineDiscipline

LOGIN_TRIES = 3
_READ_SIZE = 4096
_IAC, _SB, _SE = 255, 250, 240
_OPTION_VERBS = range(251, 255)  # WILL, WONT, DO, DONT: each names one option byte


class TelnetListener:
    """Accepts Telnet sessions for one device until closed."""

    def __init__(self, device: DeviceLookup) -> None:
        self._device = device
        self._attempts: AuthAttempts = []
        self._booted = time.monotonic()
        self._server: asyncio.Server | None = None
        self._sessions: set[asyncio.StreamWriter] = set()
        self.peak_connections = 0

    @property
    def auth_attempts(self) -> AuthAttempts:
        return list(self._attempts)

    @property
    def port(self) -> int:
        assert self._server is not None, "listener not open"
        return int(self._server.sockets[0].getsockname()[1])

    @classmethod
    async def open(cls, device: DeviceLookup, host: str, port: int) -> "TelnetListener":
        listener = cls(device)
        listener._server = await asyncio.start_server(listener._serve, host, port)
        return listener

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._sessions):
            writer.transport.abort()
        if self._server is not None:
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._sessions.add(writer)
        self.peak_connections = max(self.peak_connections, len(self._sessions))
        try:
            session = _Session(reader, writer)
            if await self._logged_in(session):
                await self._run_cli(session)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._sessions.discard(writer)
            writer.close()

    async def _logged_in(self, session: "_Session") -> bool:
        session.write("\r\n\r\nUser Access Verification\r\n")
        for _ in range(LOGIN_TRIES):
            session.write("\r\nUsername: ")
            username = await session.line(echo=True)
            session.write("Password: ")
            password = await session.line(echo=False)
            if username is None or password is None:
                return False
            self._attempts.append((username, password))
            device = self._device()
            if username == device.username and password == device.password:
                return True
            session.write("% Login invalid\r\n")
            await asyncio.sleep(0.1)
        session.write("% Bad passwords\r\n")
        return False

    async def _run_cli(self, session: "_Session") -> None:
        mode = Mode.USER_EXEC
        session.write(greeting(self._device().hostname))
        while (line := await session.line(echo=mode.echoes)) is not None:
            device: DeviceProfile = self._device()
            if device.delay and line.strip():
                await asyncio.sleep(device.delay)
            reply = respond(device, mode, line, time.monotonic() - self._booted)
            if reply.closed:
                return
            mode = reply.mode
            session.write(reply.text)
            await session.writer.drain()


class _Session:
    """Typed lines in (Telnet commands dropped), text out."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self.writer = writer
        self._discipline = LineDiscipline()
        self._pending = b""

    def write(self, text: str) -> None:
        self.writer.write(text.encode())

    async def line(self, echo: bool) -> str | None:
        """The next typed line, echoed as typed when `echo`; None once the client is gone."""
        while True:
            shown, line = self._discipline.next_line(echo=echo)
            self.write(shown)
            if line is not None:
                return line
            data = await self._reader.read(_READ_SIZE)
            if not data:
                return None
            self._discipline.feed(self._without_commands(data).decode(errors="replace"))

    def _without_commands(self, data: bytes) -> bytes:
        data, self._pending = self._pending + data, b""
        kept = bytearray()
        index = 0
        while index < len(data):
            byte = data[index]
            if byte != _IAC:
                kept.append(byte)
                index += 1
                continue
            if index + 1 >= len(data):
                self._pending = data[index:]
                break
            verb = data[index + 1]
            if verb == _IAC:  # an escaped 0xff data byte
                kept.append(_IAC)
                index += 2
            elif verb in _OPTION_VERBS:
                if index + 2 >= len(data):
                    self._pending = data[index:]
                    break
                index += 3
            elif verb == _SB:
                end = data.find(bytes((_IAC, _SE)), index)
                if end < 0:
                    self._pending = data[index:]
                    break
                index = end + 2
            else:
                index += 2
        return bytes(kept)
