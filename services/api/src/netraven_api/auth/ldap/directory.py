"""Checking a username and password against the LDAP directory, and reading who the user is.

ldap3 is blocking, so every conversation with the directory runs in a small, bounded thread pool,
never on the event loop. A refusal (unknown user, wrong password, locked or disabled account) is
`None`; a directory that cannot be reached, or not over verified TLS, is `Unavailable`.
"""

import asyncio
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Literal
from urllib.parse import urlsplit
from uuid import UUID

import structlog
from ldap3 import AUTO_BIND_NONE, BASE, NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn, parse_dn
from netraven_shared.errors import Unavailable

from netraven_api.auth.ldap.settings import LdapSettings

log = structlog.get_logger()

_AD_ACCOUNT_DISABLED = 0x2
_PPOLICY_LOCKED_BY_ADMIN = "000001010000Z"
_LOCK_ATTRIBUTES = ("userAccountControl", "pwdAccountLockedTime")


@dataclass(frozen=True)
class DirectoryAccount:
    external_id: str
    username: str
    groups: tuple[str, ...]


@cache
def _pool(threads: int) -> ThreadPoolExecutor:
    """Bounded: a flood of logins waits its turn instead of opening a connection each at once."""
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="ldap")


async def authenticate(
    settings: LdapSettings, username: str, password: str
) -> DirectoryAccount | None:
    """The directory account these credentials prove, or None when the directory refuses them."""
    # An empty password is an "unauthenticated bind" that many servers answer with success.
    if not username or not password:
        return None
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(
        _pool(settings.threads), _authenticate, settings, username, password
    )


def _authenticate(settings: LdapSettings, username: str, password: str) -> DirectoryAccount | None:
    server = _server(settings)
    try:
        if settings.user_dn_template is not None:
            return _direct_bind(settings, server, username, password)
        return _search_then_bind(settings, server, username, password)
    except LDAPException as error:
        log.warning("auth.ldap.unreachable", url=settings.url, error=str(error))
        raise Unavailable(
            "the LDAP directory cannot be reached right now; try again later"
        ) from None


def _server(settings: LdapSettings) -> Server:
    parts = urlsplit(settings.url or "")
    tls = None
    if settings.uses_tls:
        ca_file = str(settings.ca_file) if settings.ca_file else None
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca_file, sni=parts.hostname)
    return Server(
        parts.hostname or "",
        port=parts.port,
        use_ssl=parts.scheme.lower() == "ldaps",
        tls=tls,
        connect_timeout=settings.connect_timeout_seconds,
        get_info=NONE,
    )


def _connection(
    settings: LdapSettings, server: Server, dn: str | None, password: str | None
) -> Connection:
    """An open connection (TLS started when asked) bound as `dn`; ldap3 raises when it cannot."""
    connection = Connection(
        server,
        user=dn,
        password=password,
        read_only=True,
        auto_bind=AUTO_BIND_NONE,
        receive_timeout=settings.operation_timeout_seconds,
        raise_exceptions=False,
        # AD answers searches at the domain root with referrals to other partitions
        auto_referrals=False,
    )
    connection.open()
    if settings.start_tls and not connection.start_tls():
        connection.unbind()
        raise LDAPException(f"StartTLS refused: {connection.result.get('description')}")
    return connection


def _bind_as_user(
    settings: LdapSettings, server: Server, dn: str, password: str
) -> Connection | None:
    connection = _connection(settings, server, dn, password)
    if connection.bind():
        return connection
    log.info("auth.ldap.bind_refused", dn=dn, reason=connection.result.get("description"))
    connection.unbind()
    return None


def _direct_bind(
    settings: LdapSettings, server: Server, username: str, password: str
) -> DirectoryAccount | None:
    assert settings.user_dn_template is not None  # the direct bind is chosen by its template
    dn = settings.user_dn_template.format(username=escape_rdn(username))
    connection = _bind_as_user(settings, server, dn, password)
    if connection is None:
        return None
    try:
        entry = _read_entry(settings, connection, dn, "(objectClass=*)", BASE)
        return _account(settings, connection, entry, username) if entry else None
    finally:
        connection.unbind()


def _search_then_bind(
    settings: LdapSettings, server: Server, username: str, password: str
) -> DirectoryAccount | None:
    service_password = settings.bind_password.get_secret_value() if settings.bind_password else None
    service = _connection(settings, server, settings.bind_dn, service_password)
    try:
        if not service.bind():
            raise LDAPException(
                f"the service account cannot bind: {service.result.get('description')}"
            )
        assert settings.user_search_base is not None  # search-then-bind is chosen by its base
        entry = _read_entry(
            settings,
            service,
            settings.user_search_base,
            settings.user_filter.format(username=escape_filter_chars(username)),
            SUBTREE,
        )
        if entry is None:
            return None
        user = _bind_as_user(settings, server, entry["dn"], password)
        if user is None:
            return None
        user.unbind()
        return _account(settings, service, entry, username)
    finally:
        service.unbind()


def _read_entry(
    settings: LdapSettings,
    connection: Connection,
    base: str,
    search_filter: str,
    scope: Literal["BASE", "SUBTREE"],
) -> dict | None:
    """The one entry the search finds (None for none, or for more than one: never guess who is
    meant)."""
    attributes = [settings.username_attribute, *_LOCK_ATTRIBUTES]
    if settings.id_attribute.lower() != "dn":
        attributes.append(settings.id_attribute)
    if settings.member_of_attribute:
        attributes.append(settings.member_of_attribute)
    connection.search(base, search_filter, scope, attributes=attributes, size_limit=2)
    entries = [
        found for found in connection.response or () if found.get("type") == "searchResEntry"
    ]
    if len(entries) != 1:
        log.info(
            "auth.ldap.user_not_found" if not entries else "auth.ldap.user_ambiguous", base=base
        )
        return None
    return entries[0]


def _account(
    settings: LdapSettings, connection: Connection, entry: dict, typed_username: str
) -> DirectoryAccount | None:
    if is_disabled(entry["raw_attributes"]):
        log.info("auth.ldap.account_disabled", dn=entry["dn"])
        return None
    external_id = _external_id(settings, entry)
    if external_id is None:
        log.warning(
            "auth.ldap.id_attribute_missing", dn=entry["dn"], attribute=settings.id_attribute
        )
        return None
    username = _first_text(entry["raw_attributes"], settings.username_attribute) or typed_username
    return DirectoryAccount(
        external_id=external_id,
        username=username,
        groups=_groups(settings, connection, entry, username),
    )


def is_disabled(raw_attributes: dict[str, list[bytes]]) -> bool:
    """Disabled in Active Directory (userAccountControl bit 2) or locked for good by an OpenLDAP
    admin."""
    control = _first_text(raw_attributes, "userAccountControl")
    if control is not None and control.isdigit() and int(control) & _AD_ACCOUNT_DISABLED:
        return True
    # Only the administrator's lock: a lockout after failed binds expires, and the entry may have
    # been read before the bind that clears it.
    return _first_text(raw_attributes, "pwdAccountLockedTime") == _PPOLICY_LOCKED_BY_ADMIN


def _external_id(settings: LdapSettings, entry: dict) -> str | None:
    if settings.id_attribute.lower() == "dn":
        return entry["dn"]
    values = _values(entry["raw_attributes"], settings.id_attribute)
    if not values:
        return None
    if (
        settings.id_attribute.lower() == "objectguid"
    ):  # 16 bytes, shown the way Active Directory writes it
        return str(UUID(bytes_le=values[0]))
    return values[0].decode()


def _groups(
    settings: LdapSettings, connection: Connection, entry: dict, username: str
) -> tuple[str, ...]:
    """Every group DN the user is in, and each group's name, so the role mapping may use either."""
    groups: list[str] = []
    if settings.member_of_attribute:
        for raw in _values(entry["raw_attributes"], settings.member_of_attribute):
            groups += [raw.decode(), _first_rdn_value(raw.decode())]
    if settings.group_search_base:
        group_filter = settings.group_filter.format(
            user_dn=escape_filter_chars(entry["dn"]),
            username=escape_filter_chars(username),
        )
        connection.search(
            settings.group_search_base,
            group_filter,
            SUBTREE,
            attributes=[settings.group_name_attribute],
        )
        for found in connection.response or ():
            if found.get("type") == "searchResEntry":
                groups += [
                    found["dn"],
                    *(
                        raw.decode()
                        for raw in _values(found["raw_attributes"], settings.group_name_attribute)
                    ),
                ]
    return tuple(dict.fromkeys(group for group in groups if group))


def _values(raw_attributes: dict[str, list[bytes]], name: str) -> list[bytes]:
    wanted = name.lower()
    return next((values for key, values in raw_attributes.items() if key.lower() == wanted), [])


def _first_text(raw_attributes: dict[str, list[bytes]], name: str) -> str | None:
    values = _values(raw_attributes, name)
    return values[0].decode() if values else None


def _first_rdn_value(dn: str) -> str:
    try:
        return parse_dn(dn, escape=False)[0][1]
    except (LDAPException, IndexError):
        return ""
