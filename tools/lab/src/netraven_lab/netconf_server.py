"""A simulated Junos NETCONF server: the `netconf` SSH subsystem (RFC 6242) over asyncssh.

It says hello with base:1.0 and base:1.1; when the client's hello names 1.1 too, every later
message is chunked (`\\n#<length>\\n...\\n##\\n`), otherwise it ends with `]]>]]>`. It answers
<get-config> with its Junos XML configuration and <close-session> with <ok/>. Like the CLI lab,
it records every password offered, so a test can prove none reached a device it should not.
"""

import re
from types import TracebackType
from typing import Self
from xml.etree import ElementTree

import asyncssh

from netraven_lab.loop_thread import LoopThread
from netraven_lab.xml_configs import JUNOS_CONFIG

BASE = "urn:ietf:params:xml:ns:netconf:base:1.0"
BASE_1_1 = "urn:ietf:params:netconf:base:1.1"
END_OF_MESSAGE = b"]]>]]>"
_CHUNK_HEADER = re.compile(rb"\n#(\d+)\n")
_END_OF_CHUNKS = b"\n##\n"

HELLO = (
    f'<?xml version="1.0" encoding="UTF-8"?><hello xmlns="{BASE}"><capabilities>'
    f"<capability>urn:ietf:params:netconf:base:1.0</capability>"
    f"<capability>{BASE_1_1}</capability>"
    "<capability>http://xml.juniper.net/netconf/junos/1.0</capability>"
    "</capabilities><session-id>4242</session-id></hello>"
)


class NetconfDevice:
    """One NETCONF device on a free loopback port, on a loop and thread of its own (asyncssh
    checks passwords in its loop's executor: the caller's loop may be busy waiting on us)."""

    def __init__(
        self,
        username: str,
        password: str,
        host: str = "127.0.0.1",
        netconf: bool = True,
        port: int = 0,  # 0 picks a free port
        host_key: asyncssh.SSHKey | None = None,
    ) -> None:
        self.host = host
        self._first_port = port
        self._netconf = netconf  # off: logins succeed, the netconf subsystem is refused
        self.config = JUNOS_CONFIG
        self._username, self._password = username, password
        self._attempts: list[tuple[str, str]] = []
        self._thread = LoopThread("netconf-lab")
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._host_key = host_key or asyncssh.generate_private_key("ssh-ed25519")

    async def __aenter__(self) -> Self:
        await self._thread.run(self._listen(self._first_port))
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._thread.run(self._stop())
        await self._thread.close()

    @property
    def port(self) -> int:
        assert self._acceptor is not None, "not listening"
        return self._acceptor.get_port()

    @property
    def auth_attempts(self) -> list[tuple[str, str]]:
        return list(self._attempts)

    def host_key(self) -> str:
        """The public host key it presents, as `<key type> <base64 key>`."""
        return " ".join(self._host_key.export_public_key("openssh").decode().split()[:2])

    async def present_new_host_key(self) -> None:
        """Listen again on the same port with a new key: as a replaced or impersonated device."""
        port = self.port
        self._host_key = asyncssh.generate_private_key("ssh-ed25519")
        await self._thread.run(self._stop())
        await self._thread.run(self._listen(port))

    async def _listen(self, port: int) -> None:
        self._acceptor = await asyncssh.listen(
            self.host,
            port,
            server_factory=lambda: _PasswordCheck(self._username, self._password, self._attempts),
            server_host_keys=[self._host_key],
            process_factory=self._serve if self._netconf else None,
            encoding=None,
            allow_scp=False,
            agent_forwarding=False,
            x11_forwarding=False,
        )

    async def _stop(self) -> None:
        if self._acceptor is not None:
            self._acceptor.close()
            await self._acceptor.wait_closed()

    async def _serve(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        if process.subsystem != "netconf":
            process.stderr.write(b"only the netconf subsystem is served here\n")
            process.exit(1)
            return
        framing = _Framing(process)
        framing.send(HELLO)
        hello = await framing.receive()
        framing.chunked = hello is not None and BASE_1_1 in hello
        while (message := await framing.receive()) is not None:
            reply, closing = self._reply(message)
            framing.send(reply)
            if closing:
                break
        await process.stdout.drain()
        process.exit(0)

    def _reply(self, message: str) -> tuple[str, bool]:
        rpc = ElementTree.fromstring(message)
        message_id = rpc.get("message-id", "")
        operation = next(iter(rpc), None)
        name = "" if operation is None else operation.tag.rpartition("}")[2]
        head = (
            f'<rpc-reply xmlns="{BASE}" xmlns:junos="http://xml.juniper.net/junos/23.4R1/junos" '
            f'message-id="{message_id}">'
        )
        if name == "get-config":
            return f"{head}<data>{self.config}</data></rpc-reply>", False
        if name == "close-session":
            return f"{head}<ok/></rpc-reply>", True
        error = (
            "<rpc-error><error-type>protocol</error-type><error-tag>operation-not-supported"
            f"</error-tag><error-severity>error</error-severity><error-message>{name} is not "
            "supported by the lab</error-message></rpc-error>"
        )
        return f"{head}{error}</rpc-reply>", False


class _Framing:
    """RFC 6242 framing of one session: end-of-message markers, then chunks once 1.1 is agreed."""

    def __init__(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        self._process = process
        self._buffer = b""
        self.chunked = False

    def send(self, message: str) -> None:
        data = message.encode()
        framed = b"\n#%d\n%s\n##\n" % (len(data), data) if self.chunked else data + END_OF_MESSAGE
        self._process.stdout.write(framed)

    async def receive(self) -> str | None:
        """The next whole message, or None once the client is gone."""
        while (message := self._take()) is None:
            data = await self._process.stdin.read(65536)
            if not data:
                return None
            self._buffer += data
        return message.decode()

    def _take(self) -> bytes | None:
        if not self.chunked:
            message, marker, rest = self._buffer.partition(END_OF_MESSAGE)
            if not marker:
                return None
            self._buffer = rest
            return message.strip()
        chunks: list[bytes] = []
        position = 0
        while True:
            if self._buffer.startswith(_END_OF_CHUNKS, position):
                self._buffer = self._buffer[position + len(_END_OF_CHUNKS) :]
                return b"".join(chunks)
            header = _CHUNK_HEADER.match(self._buffer, position)
            if header is None:
                return None
            start, size = header.end(), int(header.group(1))
            if len(self._buffer) < start + size:
                return None
            chunks.append(self._buffer[start : start + size])
            position = start + size


class _PasswordCheck(asyncssh.SSHServer):
    def __init__(self, username: str, password: str, attempts: list[tuple[str, str]]) -> None:
        self._username, self._password, self._attempts = username, password, attempts

    def session_requested(self) -> asyncssh.SSHServerSession[bytes]:
        """Asked only without a process factory (NETCONF off): a session with no subsystems."""
        return _NoSubsystems()

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        self._attempts.append((username, password))
        return (username, password) == (self._username, self._password)


class _NoSubsystems(asyncssh.SSHServerSession[bytes]):
    def subsystem_requested(self, subsystem: str) -> bool:
        return False
