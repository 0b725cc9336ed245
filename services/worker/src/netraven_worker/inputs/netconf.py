"""NETCONF <get-config> of the running datastore over SSH (ncclient), for Junos and the like.

The device's host key is checked exactly as the CLI checks it (connection.HostKeyCheck): ncclient
compares the key the device proves it holds with its known hosts, which here hold the pinned key
alone (never ~/.ssh/known_hosts), and asks its `unknown_host_cb` about any other, which refuses a
change, or trusts a first key unless pinning is strict. Both happen after key exchange and before
authentication: no password reaches a device that is not the one pinned. With a key pinned,
ncclient negotiates that key's type only (an RSA key as `ssh-rsa`).

Logins are tried in the plan's order, one SSH connection each. The config is stored as the
elements of <data>, re-indented so that how a device spaces its XML never shows as a change.
"""

import logging

import paramiko
from lxml import etree
from ncclient.manager import Manager, make_device_handler
from ncclient.operations import RPCError, TimeoutExpiredError
from ncclient.transport import SSHSession
from ncclient.transport.errors import AuthenticationError, SSHError, TransportError

from netraven_worker.collection import (
    AuthenticationFailed,
    Collected,
    DeviceUnreachable,
    HostKeyNotTrusted,
    Login,
    PermanentFailure,
    Target,
    host_key_check,
)
from netraven_worker.connection import HostKeyCheck, HostKeyRefused
from netraven_worker.timeouts import Timeouts

# ncclient logs every message it receives at debug level: the config, secrets and all.
logging.getLogger("ncclient").setLevel(logging.WARNING)

NO_SUBSYSTEM = "Could not open connection, possibly due to unacceptable SSH subsystem name."
NO_HOST_KEY_TYPE = "no acceptable host key"  # paramiko: the device lacks the pinned key's type


class NetconfUnavailable(PermanentFailure):
    pass


class _CheckedSession(SSHSession):
    def __init__(self, device_handler: object, check: HostKeyCheck) -> None:
        super().__init__(device_handler)
        self._check = check
        self._host_keys = check.known_hosts()

    def load_known_hosts(self, filename: str | None = None) -> None:
        """The pin in PostgreSQL is the only known host: the worker's own files are not read."""

    def unknown_host(self, host: str, fingerprint: str) -> bool:
        self._check.not_known(self._transport.get_remote_server_key())
        return True

    def close_if_open(self) -> None:
        if self._transport is not None:
            self.close()


def collect_netconf_config(target: Target, logins: list[Login], timeouts: Timeouts) -> Collected:
    check = host_key_check(target)
    refused: list[Login] = []
    for login in logins:
        try:
            raw = _running_config(target, check, login, timeouts, refused)
        except AuthenticationError:
            refused.append(login)
            continue
        return Collected(raw=raw, login=login, refused_logins=refused, host_key=check.trusted)
    raise AuthenticationFailed(refused)


def _running_config(
    target: Target, check: HostKeyCheck, login: Login, timeouts: Timeouts, refused: list[Login]
) -> str:
    where = f"{target.hostname} ({target.host}:{target.port})"
    device_handler = make_device_handler({"name": "default"})  # standard NETCONF, no vendor quirks
    session = _CheckedSession(device_handler, check)
    try:
        session.connect(
            host=target.host,
            port=target.port,
            timeout=timeouts.connect,
            username=login.username,
            password=login.password,
            hostkey_verify=True,
            unknown_host_cb=session.unknown_host,
            allow_agent=False,
            look_for_keys=False,
        )
        manager = Manager(session, device_handler, timeout=timeouts.read)
        reply = manager.get_config(source="running")
        manager.close_session()
    except HostKeyRefused as refusal:
        raise HostKeyNotTrusted(refusal, refused) from refusal
    except AuthenticationError:
        raise
    except SSHError as error:
        if NO_HOST_KEY_TYPE in str(error) and check.trusted is not None:
            message = (
                f"host key changed: {target.hostname} no longer offers a {check.trusted.key_type} "
                "key, the pinned key's type; an admin must pin its new key (or clear the pin)"
            )
            raise HostKeyNotTrusted(HostKeyRefused(message, None), refused) from error
        if str(error) == NO_SUBSYSTEM:
            raise NetconfUnavailable(
                f"{where}: logged in as credential '{login.name}' but the device offers no "
                "netconf subsystem: enable NETCONF over SSH (Junos: set system services netconf "
                "ssh)",
                refused,
            ) from error
        raise DeviceUnreachable(f"{where}: {error}") from error
    except RPCError as error:
        raise PermanentFailure(f"{where}: get-config refused: {error}", refused) from error
    except TimeoutExpiredError as error:
        raise DeviceUnreachable(
            f"{where}: no get-config reply within {timeouts.read:g} s (read timeout)"
        ) from error
    except (TimeoutError, TransportError, paramiko.SSHException, OSError) as error:
        raise DeviceUnreachable(f"{where}: {error or type(error).__name__}") from error
    finally:
        session.close_if_open()
    return _indented(reply.data_ele)


def _indented(data: etree._Element) -> str:
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
    elements = (etree.fromstring(etree.tostring(child), parser) for child in data)
    return "".join(
        etree.tostring(element, encoding="unicode", pretty_print=True) for element in elements
    )
