"""A simulated PAN-OS XML API over HTTPS, with a self-signed certificate made at start.

It serves what NetRaven uses of the real API (docs.paloaltonetworks.com, "PAN-OS XML API"):
`type=keygen` trades a username and password for an API key, `type=export&category=configuration`
returns the running config for that key (in the X-PAN-KEY header or a `key` parameter). Wrong
credentials get PAN-OS's own error answer (HTTP 403, `<response status="error" code="403">`).
Parameters are read from the query string and from a form body, as PAN-OS does. It records every
password offered to keygen, so a test can prove none reached a device it should not.
"""

import base64
import datetime
import secrets
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from tempfile import TemporaryDirectory
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from netraven_lab.xml_configs import PANOS_CONFIG

INVALID_CREDENTIAL = (
    "<response status = 'error' code = '403'><result><msg>Invalid Credential</msg></result>"
    "</response>"
)
INVALID_KEY = (
    "<response status = 'error' code = '403'><result><msg>Invalid credentials.</msg></result>"
    "</response>"
)


class PanosApi:
    """One firewall's API on a free loopback port; `with` starts and stops it."""

    def __init__(
        self,
        username: str,
        password: str,
        host: str = "127.0.0.1",
        port: int = 0,  # 0 picks a free port
        tls_key: ec.EllipticCurvePrivateKey | None = None,  # None: a new one
    ) -> None:
        self.config = PANOS_CONFIG
        self.api_key = secrets.token_urlsafe(24)
        self._credentials = (username, password)
        self._attempts: list[tuple[str, str]] = []
        self.export_allowed = True  # off: the admin role lacks the XML API's export permission
        self._context, self._public_key = _self_signed(host, tls_key)
        self._server = _TlsServer((host, port), self._handler(), lambda: self._context)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def keygen_attempts(self) -> list[tuple[str, str]]:
        """Every (user, password) offered to keygen, oldest first."""
        return list(self._attempts)

    @property
    def public_key(self) -> str:
        """Its certificate's public key as NetRaven pins it: base64 of the SubjectPublicKeyInfo."""
        return base64.b64encode(self._public_key).decode()

    def present_new_certificate(self) -> None:
        """A new key and certificate for the next connections: a replaced or impersonated box."""
        self._context, self._public_key = _self_signed(str(self._server.server_address[0]))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer(parse_qs(urlsplit(self.path).query))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                self._answer({**parse_qs(urlsplit(self.path).query), **parse_qs(body)})

            def _answer(self, params: dict[str, list[str]]) -> None:
                status, text = api._respond(
                    {name: values[0] for name, values in params.items()},
                    self.headers.get("X-PAN-KEY"),
                )
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/xml; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def _respond(self, params: dict[str, str], header_key: str | None) -> tuple[int, str]:
        if params.get("type") == "keygen":
            offered = (params.get("user", ""), params.get("password", ""))
            self._attempts.append(offered)
            if offered != self._credentials:
                return 403, INVALID_CREDENTIAL
            return 200, (
                f"<response status = 'success'><result><key>{self.api_key}</key></result>"
                "</response>"
            )
        if (header_key or params.get("key")) != self.api_key:
            return 403, INVALID_KEY
        if params.get("type") == "export" and params.get("category") == "configuration":
            if not self.export_allowed:
                return 403, (
                    "<response status = 'error' code = '403'><result><msg>Type [export] not "
                    "authorized for user role.</msg></result></response>"
                )
            return 200, self.config
        return 400, (
            "<response status = 'error' code = '400'><result><msg>Bad request</msg></result>"
            "</response>"
        )


class _TlsServer(ThreadingHTTPServer):
    """Wraps each accepted connection in the API's current TLS context."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: Any, context: Callable[[], ssl.SSLContext]
    ) -> None:
        super().__init__(address, handler)
        self._context = context

    def get_request(self) -> tuple[Any, Any]:
        sock, address = super().get_request()
        sock.settimeout(10)
        return self._context().wrap_socket(sock, server_side=True), address

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up after the handshake (a pin that did not match)


def _self_signed(
    host: str, key: ec.EllipticCurvePrivateKey | None = None
) -> tuple[ssl.SSLContext, bytes]:
    """A TLS context serving a new self-signed certificate for key (a new key when None), and its
    SubjectPublicKeyInfo (DER)."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with TemporaryDirectory() as directory:  # ssl loads a certificate chain from files only
        chain = Path(directory) / "chain.pem"
        chain.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            + certificate.public_bytes(serialization.Encoding.PEM)
        )
        context.load_cert_chain(chain)
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return context, spki
