"""Single sign-on end to end: the in-process api, a real OpenID Connect provider on a real port, and the
browser's redirects followed by hand (each test is one browser with its own cookie jar)."""

from collections.abc import AsyncIterator, Callable, Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from fastapi import FastAPI
from netraven_api.auth.oidc.endpoints import SIGN_IN_AUDIT_ACTION
from netraven_api.auth.oidc.settings import OidcSettings
from netraven_api.config import ApiSettings
from netraven_devstack.ports import free_port
from netraven_shared.db.models import AuditEntry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.api import ADMIN_PASSWORD
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
    """Lets a test run the shared api with other settings; the api gets its own back after the test."""
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


class TestSignIn:
    async def test_the_first_sign_in_creates_the_account_with_the_mapped_role_and_a_browser_session(
        self,
        sso: IdentityProvider,
        browser: httpx.AsyncClient,
        provider_http: httpx.AsyncClient,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        who = person(OPERATORS, "unmapped")
        done = await sign_in(browser, provider_http, sso, who)
        assert done.status_code == 303 and done.headers["location"] == "/"
        assert browser.cookies.get("netraven_refresh")
        me = await signed_in_as(browser)
        assert (me["username"], me["role"], me["auth_source"], me["must_change_password"]) == (
            who.username,
            "operator",
            "oidc",
            False,
        )
        audited = await last_sign_in_audited(sessions)
        assert (audited.actor_name, audited.actor_role, audited.object_id, audited.outcome) == (
            who.username,
            "operator",
            me["id"],
            "success",
        )

    async def test_the_authorization_request_uses_pkce_s256_a_state_and_a_nonce(
        self, sso: IdentityProvider, browser: httpx.AsyncClient
    ) -> None:
        query = parse_qs(urlsplit(await go_to_provider(browser)).query)
        assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
        assert (
            query["state"][0]
            and query["nonce"][0]
            and query["redirect_uri"] == ["http://api.test/api/auth/oidc/callback"]
        )
        assert query["scope"] == ["openid profile email groups"] and query["client_id"] == [
            OIDC_CLIENT_ID
        ]

    async def test_the_login_state_lives_in_a_short_lived_httponly_cookie_the_providers_redirect_brings_back(
        self,
        sso: IdentityProvider,
        browser: httpx.AsyncClient,
    ) -> None:
        started = await browser.get("/api/auth/oidc/login")
        cookie = started.headers["set-cookie"]
        assert cookie.startswith("netraven_oidc_login=")
        for attribute in ("HttpOnly", "Max-Age=600", "Path=/api/auth/oidc", "SameSite=lax"):
            assert attribute in cookie

    async def test_a_group_change_at_the_provider_changes_the_role_at_the_next_sign_in(
        self,
        sso: IdentityProvider,
        api_app: FastAPI,
        provider_http: httpx.AsyncClient,
    ) -> None:
        who = person(VIEWERS)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=api_app), base_url="http://api.test"
        ) as first:
            await sign_in(first, provider_http, sso, who)
            assert (await signed_in_as(first))["role"] == "viewer"
        who.groups = [ADMINS, VIEWERS]
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=api_app), base_url="http://api.test"
        ) as second:
            await sign_in(second, provider_http, sso, who)
            assert (await signed_in_as(second))["role"] == "admin"

    async def test_a_provider_that_rotated_its_signing_key_is_still_believed(
        self,
        sso: IdentityProvider,
        api_app: FastAPI,
        provider_http: httpx.AsyncClient,
    ) -> None:
        for _ in range(
            2
        ):  # the first sign-in fetches the keys, the second finds the cached ones stale
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=api_app), base_url="http://api.test"
            ) as browser:
                assert (await sign_in(browser, provider_http, sso, person(VIEWERS))).headers[
                    "location"
                ] == "/"
            sso.rotate_key()

    async def test_groups_missing_from_the_id_token_are_read_from_userinfo(
        self,
        sso: IdentityProvider,
        browser: httpx.AsyncClient,
        provider_http: httpx.AsyncClient,
    ) -> None:
        sso.groups_in_id_token = False
        await sign_in(browser, provider_http, sso, person(ADMINS))
        assert (await signed_in_as(browser))["role"] == "admin"

    async def test_a_directory_user_named_like_a_local_account_is_refused(
        self,
        sso: IdentityProvider,
        browser: httpx.AsyncClient,
        provider_http: httpx.AsyncClient,
    ) -> None:
        impostor = Person(subject=unique("subject"), username="viewer", groups=[ADMINS])
        assert "already exists here" in refused_with(
            await sign_in(browser, provider_http, sso, impostor)
        )
        assert "netraven_refresh" not in browser.cookies

    async def test_a_user_in_no_mapped_group_is_refused_and_the_refusal_audited(
        self,
        sso: IdentityProvider,
        browser: httpx.AsyncClient,
        provider_http: httpx.AsyncClient,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        who = person("marketing")
        reason = refused_with(await sign_in(browser, provider_http, sso, who))
        assert "in no group that has a NetRaven role" in reason
        assert "netraven_refresh" not in browser.cookies
        audited = await last_sign_in_audited(sessions)
        assert (audited.actor_id, audited.outcome) == (None, "failure")
        assert audited.detail == f"single sign-on: {reason}"

    async def test_a_user_an_admin_disabled_here_is_refused(
        self,
        sso: IdentityProvider,
        api_app: FastAPI,
        admin: httpx.AsyncClient,
        provider_http: httpx.AsyncClient,
    ) -> None:
        who = person(OPERATORS)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=api_app), base_url="http://api.test"
        ) as first:
            await sign_in(first, provider_http, sso, who)
            user_id = (await signed_in_as(first))["id"]
        assert (
            await admin.patch(f"/api/users/{user_id}", json={"is_active": False})
        ).status_code == 200
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=api_app), base_url="http://api.test"
        ) as again:
            assert "disabled" in refused_with(await sign_in(again, provider_http, sso, who))
            assert "netraven_refresh" not in again.cookies


class TestForgeries:
    async def test_a_changed_state_is_refused(
        self, sso: IdentityProvider, browser: httpx.AsyncClient, provider_http: httpx.AsyncClient
    ) -> None:
        sso.sign_in_as(person(ADMINS))
        response = await come_back(
            browser, provider_http, await go_to_provider(browser), state="chosen-by-an-attacker"
        )
        assert "does not belong to this sign-in" in refused_with(response)
        assert "netraven_refresh" not in browser.cookies

    async def test_a_callback_without_the_browsers_login_cookie_is_refused(
        self,
        sso: IdentityProvider,
        browser: httpx.AsyncClient,
        provider_http: httpx.AsyncClient,
    ) -> None:
        sso.sign_in_as(person(ADMINS))
        authorize_url = await go_to_provider(browser)
        browser.cookies.clear()
        assert "expired or was started in another browser" in refused_with(
            await come_back(browser, provider_http, authorize_url)
        )

    async def test_a_tampered_login_cookie_is_refused(
        self, sso: IdentityProvider, browser: httpx.AsyncClient, provider_http: httpx.AsyncClient
    ) -> None:
        sso.sign_in_as(person(ADMINS))
        authorize_url = await go_to_provider(browser)
        cookie = browser.cookies["netraven_oidc_login"]
        browser.cookies.set(
            "netraven_oidc_login",
            cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"),
            domain="api.test",
            path="/api/auth/oidc",
        )
        assert "tampered with" in refused_with(
            await come_back(browser, provider_http, authorize_url)
        )

    async def test_an_id_token_with_another_nonce_is_refused(
        self, sso: IdentityProvider, browser: httpx.AsyncClient, provider_http: httpx.AsyncClient
    ) -> None:
        sso.sign_in_as(person(ADMINS))
        authorize_url = with_query(
            await go_to_provider(browser), nonce="a-nonce-the-api-never-chose"
        )
        assert "nonce" in refused_with(await come_back(browser, provider_http, authorize_url))
        assert "netraven_refresh" not in browser.cookies

    @pytest.mark.parametrize(
        ("change", "because"),
        [
            ({"aud": ["another-client"]}, "Invalid claim: 'aud'"),
            (
                {"aud": [OIDC_CLIENT_ID, "another-client"], "azp": "another-client"},
                "issued to another client",
            ),
            ({"iss": "https://impostor.example"}, "Invalid claim: 'iss'"),
            ({"exp": 1_000_000_000}, "ID token has expired"),
        ],
    )
    async def test_an_id_token_for_another_client_from_another_issuer_or_expired_is_refused(
        self,
        sso: IdentityProvider,
        browser: httpx.AsyncClient,
        provider_http: httpx.AsyncClient,
        change: dict,
        because: str,
    ) -> None:
        sso.id_token_changes = change
        reason = refused_with(await sign_in(browser, provider_http, sso, person(ADMINS)))
        assert because in reason
        assert "netraven_refresh" not in browser.cookies

    async def test_an_id_token_signed_by_a_key_the_provider_does_not_publish_is_refused(
        self,
        sso: IdentityProvider,
        browser: httpx.AsyncClient,
        provider_http: httpx.AsyncClient,
    ) -> None:
        sso.rotate_key()  # not the key the api may have cached earlier either
        sso.publish_key = False
        reason = refused_with(await sign_in(browser, provider_http, sso, person(ADMINS)))
        assert "not signed by its published keys" in reason

    async def test_the_provider_refusing_is_shown_on_the_login_page(
        self,
        sso: IdentityProvider,
        browser: httpx.AsyncClient,
        provider_http: httpx.AsyncClient,
    ) -> None:
        sso.signing_in = None  # the user declined at the provider
        assert "access_denied" in refused_with(
            await come_back(browser, provider_http, await go_to_provider(browser))
        )


async def test_an_unreachable_provider_sends_the_user_back_with_a_reason(
    api_settings: ApiSettings,
    api_settings_for_test: Callable[[ApiSettings], None],
    browser: httpx.AsyncClient,
) -> None:
    api_settings_for_test(sso_settings(api_settings, f"http://127.0.0.1:{free_port()}"))
    assert "cannot be reached" in refused_with(await browser.get("/api/auth/oidc/login"))
    assert "netraven_oidc_login" not in browser.cookies


class TestSignInMethods:
    async def test_without_single_sign_on_only_the_password_form_is_offered(
        self, anonymous: httpx.AsyncClient
    ) -> None:
        assert (await anonymous.get("/api/auth/methods")).json() == {"local": True, "oidc": None}
        assert "not configured" in refused_with(await anonymous.get("/api/auth/oidc/login"))

    async def test_with_single_sign_on_the_button_is_named(
        self, sso: IdentityProvider, anonymous: httpx.AsyncClient
    ) -> None:
        methods = (await anonymous.get("/api/auth/methods")).json()
        assert methods == {
            "local": True,
            "oidc": {"name": "Test IdP", "login_url": "/api/auth/oidc/login"},
        }

    async def test_local_login_off_refuses_passwords_while_single_sign_on_works(
        self,
        api_settings: ApiSettings,
        oidc_provider: IdentityProvider,
        api_settings_for_test: Callable[[ApiSettings], None],
        browser: httpx.AsyncClient,
        provider_http: httpx.AsyncClient,
    ) -> None:
        api_settings_for_test(sso_settings(api_settings, oidc_provider.issuer, local_login=False))
        assert (await browser.get("/api/auth/methods")).json()["local"] is False
        refused = await browser.post(
            "/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
        )
        assert refused.status_code == 403
        assert "single sign-on" in refused.json()["error"]
        await sign_in(browser, provider_http, oidc_provider, person(ADMINS))
        assert (await signed_in_as(browser))["role"] == "admin"
