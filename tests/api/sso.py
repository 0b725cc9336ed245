"""Single sign-on test helpers: the api pointed at the tests' OpenID Connect provider, a browser and
the provider's own HTTP client (fixtures, registered in tests/conftest.py), and the steps of a
sign-in with the redirects followed by hand."""

from collections.abc import AsyncIterator, Callable, Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from fastapi import FastAPI
from netraven_api.auth.oidc.endpoints import SIGN_IN_AUDIT_ACTION
from netraven_api.auth.oidc.settings import OidcSettings
from netraven_api.config import ApiSettings
from netraven_shared.db.models import AuditEntry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.factories import unique
from tests.fixtures.oidc_provider import OIDC_CLIENT_ID, OIDC_CLIENT_SECRET
from tests.oidc_provider.models import Person
from tests.oidc_provider.server import IdentityProvider

ADMINS, OPERATORS, VIEWERS = "netraven-admins", "netraven-operators", "NOC"


def sso_settings(api_settings: ApiSettings, issuer: str, **changes: object) -> ApiSettings:
    oidc = OidcSettings(
        issuer=issuer,
        client_id=OIDC_CLIENT_ID,
        client_secret=OIDC_CLIENT_SECRET,
        display_name="Test IdP",
        admin_groups=[ADMINS],
        operator_groups=[OPERATORS],
        viewer_groups=[VIEWERS.lower()],
    )
    return api_settings.model_copy(update={"oidc": oidc, **changes})


@pytest.fixture
def api_settings_for_test(
    api_app: FastAPI, api_settings: ApiSettings
) -> Iterator[Callable[[ApiSettings], None]]:
    """Lets a test run the shared api with other settings; the api gets its own back after the
    test."""
    yield lambda settings: setattr(api_app.state, "settings", settings)
    api_app.state.settings = api_settings


@pytest.fixture
def sso(
    api_settings: ApiSettings,
    oidc_provider: IdentityProvider,
    api_settings_for_test: Callable[[ApiSettings], None],
) -> Iterator[IdentityProvider]:
    api_settings_for_test(sso_settings(api_settings, oidc_provider.issuer))
    yield oidc_provider
    oidc_provider.id_token_changes, oidc_provider.publish_key, oidc_provider.groups_in_id_token = (
        {},
        True,
        True,
    )


@pytest.fixture
async def browser(api_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=api_app), base_url="http://api.test"
    ) as client:
        yield client


@pytest.fixture
async def provider_http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def person(*groups: str) -> Person:
    name = unique("sso")
    return Person(subject=f"subject-of-{name}", username=name, groups=list(groups))


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


async def go_to_provider(browser: httpx.AsyncClient) -> str:
    started = await browser.get("/api/auth/oidc/login")
    assert started.status_code == 303, started.text
    return started.headers["location"]


async def come_back(
    browser: httpx.AsyncClient,
    provider_http: httpx.AsyncClient,
    authorize_url: str,
    **callback_changes: str,
) -> httpx.Response:
    approved = await provider_http.get(authorize_url)
    assert approved.status_code == 302, approved.text
    callback = approved.headers["location"]
    assert callback.startswith("http://api.test/api/auth/oidc/callback?")
    return await browser.get(
        with_query(callback, **callback_changes) if callback_changes else callback
    )


async def sign_in(
    browser: httpx.AsyncClient,
    provider_http: httpx.AsyncClient,
    provider: IdentityProvider,
    who: Person,
) -> httpx.Response:
    provider.sign_in_as(who)
    return await come_back(browser, provider_http, await go_to_provider(browser))


def refused_with(response: httpx.Response) -> str:
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/login", response.headers["location"]
    return parse_qs(location.query)["error"][0]


async def signed_in_as(browser: httpx.AsyncClient) -> dict:
    refreshed = await browser.post("/api/auth/refresh")
    assert refreshed.status_code == 200, refreshed.text
    me = await browser.get(
        "/api/users/me", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    )
    assert me.status_code == 200, me.text
    return me.json()


async def last_sign_in_audited(sessions: async_sessionmaker[AsyncSession]) -> AuditEntry:
    async with sessions() as session:
        entry = await session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == SIGN_IN_AUDIT_ACTION)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
    assert entry is not None
    return entry
