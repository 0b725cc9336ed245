"""PAN-OS's XML API over HTTPS: the running config without a CLI session.

Per login, `type=keygen` trades the username and password (in a POST body, never in a URL) for an
API key; the first key that comes back exports the running config (`type=export&category=
configuration`, key in the X-PAN-KEY header), which is stored as the XML PAN-OS writes. Every
connection is checked against the device's certificate pin before anything is sent
(certificate_pin.py). PAN-OS answers a refusal with `<response status="error" code="403">`: a
bad password moves on to the next login, any other error ends the backup with PAN-OS's message.
"""

import http.client
import ssl
from urllib.parse import urlencode
from xml.etree import ElementTree

from netraven_worker.collection import (
    AuthenticationFailed,
    Collected,
    DeviceUnreachable,
    HostKeyNotTrusted,
    Login,
    PermanentFailure,
    Target,
)
from netraven_worker.connection import HostKeyRefused
from netraven_worker.inputs.certificate_pin import CertificatePin, PinnedHTTPSConnection
from netraven_worker.timeouts import Timeouts

INVALID_CREDENTIAL = "403"


class ApiError(PermanentFailure):
    """PAN-OS answered with an error other than a refused password (a role without API access)."""


def collect_panos_config(target: Target, logins: list[Login], timeouts: Timeouts) -> Collected:
    pin = CertificatePin(target.hostname, target.pinned_host_key, target.strict_host_key)
    connection = PinnedHTTPSConnection(target.host, target.port, timeouts.connect, pin)
    refused: list[Login] = []
    try:
        for login in logins:
            key = _api_key(target, connection, login, refused)
            if key is None:
                refused.append(login)
                continue
            raw = _exported_config(target, connection, key, timeouts, refused)
            return Collected(raw=raw, login=login, refused_logins=refused, host_key=pin.trusted)
    except HostKeyRefused as refusal:
        raise HostKeyNotTrusted(refusal, refused) from refusal
    except (OSError, http.client.HTTPException) as error:
        raise DeviceUnreachable(f"{_where(target)}: {_reason(error, timeouts)}") from error
    finally:
        connection.close()
    raise AuthenticationFailed(refused)


def _api_key(
    target: Target, connection: http.client.HTTPSConnection, login: Login, refused: list[Login]
) -> str | None:
    """The login's API key, or None when PAN-OS refused its username or password."""
    body = urlencode({"type": "keygen", "user": login.username, "password": login.password})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/api/", body=body, headers=headers)
    response = _answer(target, connection.getresponse(), refused)
    if response.get("status") != "success":
        if response.get("code") == INVALID_CREDENTIAL:
            return None
        raise ApiError(f"{_where(target)}: keygen refused: {_message(response)}", refused)
    key = response.findtext("result/key")
    if not key:
        raise ApiError(f"{_where(target)}: keygen answered without a key", refused)
    return key


def _exported_config(
    target: Target,
    connection: http.client.HTTPSConnection,
    key: str,
    timeouts: Timeouts,
    refused: list[Login],
) -> str:
    connection.timeout = timeouts.read
    if connection.sock is not None:
        connection.sock.settimeout(timeouts.read)
    query = urlencode({"type": "export", "category": "configuration"})
    connection.request("GET", f"/api/?{query}", headers={"X-PAN-KEY": key})
    response = connection.getresponse()
    text = response.read().decode("utf-8", errors="replace")
    document = _parsed(target, response.status, text, refused)
    if document.tag == "response":
        raise ApiError(
            f"{_where(target)}: the configuration export was refused: {_message(document)} "
            "(the account's admin role needs XML API 'Export')",
            refused,
        )
    return text


def _answer(
    target: Target, response: http.client.HTTPResponse, refused: list[Login]
) -> ElementTree.Element:
    text = response.read().decode("utf-8", errors="replace")
    document = _parsed(target, response.status, text, refused)
    if document.tag != "response":
        raise ApiError(f"{_where(target)}: not a PAN-OS XML API answer", refused)
    return document


def _parsed(target: Target, status: int, text: str, refused: list[Login]) -> ElementTree.Element:
    if status >= 500:
        raise DeviceUnreachable(f"{_where(target)}: the API answered HTTP {status}")
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError:
        raise ApiError(
            f"{_where(target)}: HTTP {status} without XML: is this port the PAN-OS management "
            "interface?",
            refused,
        ) from None


def _message(response: ElementTree.Element) -> str:
    text = " ".join(" ".join(element.itertext()) for element in response.iter("msg")).split()
    return " ".join(text) or f"error code {response.get('code', 'unknown')}"


def _where(target: Target) -> str:
    return f"{target.hostname} ({target.host}:{target.port})"


def _reason(error: Exception, timeouts: Timeouts) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused: is the HTTPS API enabled on this port?"
    if isinstance(error, TimeoutError):
        return (
            f"no answer in time (connect timeout {timeouts.connect:g} s, "
            f"read timeout {timeouts.read:g} s)"
        )
    if isinstance(error, ssl.SSLError):
        return f"TLS handshake failed ({error.reason or error}): is this port HTTPS?"
    return str(error) or type(error).__name__
