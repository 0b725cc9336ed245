"""Single sign-on refusals: forged callbacks and ID tokens, a provider that refuses, and one that
cannot be reached, each sending the browser back to the login page with a reason (the in-process api
against a real OpenID Connect provider; signing in is in test_oidc_sign_in.py)."""

from collections.abc import Callable

import httpx
import pytest
from netraven_api.config import ApiSettings
from netraven_devstack.ports import free_port

from tests.api.sso import (
    ADMINS,
    come_back,
    go_to_provider,
    person,
    refused_with,
    sign_in,
    sso_settings,
    with_query,
)
from tests.fixtures.oidc_provider import OIDC_CLIENT_ID
from tests.oidc_provider.server import IdentityProvider


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
