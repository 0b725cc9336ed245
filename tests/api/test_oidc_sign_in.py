"""Single sign-on end to end: the in-process api, a real OpenID Connect provider on a real port, and
the browser's redirects followed by hand (each test is one browser with its own cookie jar). Signing
in and the sign-in methods offered; forged and refused callbacks are in test_oidc_refusals.py."""

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi import FastAPI
from netraven_api.config import ApiSettings
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.sso import (
    ADMINS,
    OPERATORS,
    VIEWERS,
    go_to_provider,
    last_sign_in_audited,
    person,
    refused_with,
    sign_in,
    signed_in_as,
    sso_settings,
)
from tests.fixtures.api import ADMIN_PASSWORD
from tests.fixtures.factories import unique
from tests.fixtures.oidc_provider import OIDC_CLIENT_ID
from tests.oidc_provider.models import Person
from tests.oidc_provider.server import IdentityProvider


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

    async def test_login_state_lives_in_a_short_lived_httponly_cookie_the_redirect_brings_back(
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
