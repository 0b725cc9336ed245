"""LDAP sign-in test helpers: settings for the test directory (tests/fixtures/ldap_server.py)
binding directly or searching first, the `use_ldap` fixture that points the api at it (registered in
tests/conftest.py), and logins each from an address of its own."""

import random
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager

import jwt
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from netraven_api.auth.ldap.settings import LdapSettings
from netraven_shared.db.models import User
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.api import JWT_SECRET
from tests.fixtures.ldap_server import (
    GROUPS,
    PEOPLE,
    SERVICE_DN,
    SERVICE_PASSWORD,
    LdapServer,
)

PASSWORD = "directory-password-1"
AFTER_FAILURES = 5  # the api_app's login_backoff_after_failures

UseLdap = Callable[..., LdapSettings]


def direct_bind(server: LdapServer, **changes: object) -> dict[str, object]:
    """Bind straight to uid=<username>,ou=people over StartTLS; groups by searching for `member`."""
    return {
        "url": server.ldap_url,
        "start_tls": True,
        "ca_file": server.ca_file,
        "user_dn_template": f"uid={{username}},{PEOPLE}",
        "group_search_base": GROUPS,
        "group_filter": "(member={user_dn})",
        "admin_groups": ["netraven-admins"],
        "operator_groups": [f"cn=netraven-operators,{GROUPS}"],
        "viewer_groups": ["NetRaven-Viewers"],
    } | changes


def search_then_bind(server: LdapServer, **changes: object) -> dict[str, object]:
    """Find the user with a service account, then bind as them; groups from their memberOf."""
    settings = direct_bind(server, user_dn_template=None, group_search_base=None)
    return (
        settings
        | {
            "bind_dn": SERVICE_DN,
            "bind_password": SERVICE_PASSWORD,
            "user_search_base": PEOPLE,
            "user_filter": "(uid={username})",
            "member_of_attribute": "memberOf",
        }
        | changes
    )


@pytest.fixture
def use_ldap(api_app: FastAPI) -> Iterator[UseLdap]:
    """Point the session's api at the test directory for one test; LDAP login is off again after
    it."""
    original = api_app.state.settings

    def use(settings: dict[str, object]) -> LdapSettings:
        ldap = LdapSettings(**settings)
        api_app.state.settings = original.model_copy(update={"ldap": ldap})
        return ldap

    yield use
    api_app.state.settings = original


@asynccontextmanager
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """A client from an address of its own: the login throttle counts per address, and the app is
    shared."""
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    async with AsyncClient(
        transport=ASGITransport(app=app, client=(address, 123)), base_url="http://api.test"
    ) as http:
        yield http


async def login(app: FastAPI, username: str, password: str) -> Response:
    async with client(app) as http:
        return await http.post("/api/auth/token", data={"username": username, "password": password})


def role_in(response: Response) -> str:
    assert response.status_code == 200, response.text
    return jwt.decode(response.json()["access_token"], JWT_SECRET, algorithms=["HS256"])["role"]


async def account(sessions: async_sessionmaker[AsyncSession], username: str) -> User | None:
    async with sessions() as session:
        return await session.scalar(select(User).where(User.username == username))
