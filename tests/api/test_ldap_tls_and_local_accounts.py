"""LDAP login against a real slapd (tests/fixtures/ldap_server.py): the directory's certificate
checked, local accounts and their passwords kept apart from the directory's, and empty passwords
refused before any bind. Binding and group mapping are in test_ldap_login.py."""

import pytest
from fastapi import FastAPI
from netraven_api.auth.ldap.directory import authenticate
from netraven_api.auth.ldap.settings import LdapSettings
from netraven_devstack.ports import free_port
from netraven_shared.errors import Unavailable
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.ldap_sign_in import (
    PASSWORD,
    UseLdap,
    account,
    client,
    direct_bind,
    login,
    role_in,
)
from tests.fixtures.api import ADMIN_PASSWORD
from tests.fixtures.factories import unique
from tests.fixtures.ldap_server import LdapServer


class TestTransportSecurity:
    @pytest.mark.parametrize("ldaps", [False, True], ids=["starttls", "ldaps"])
    async def test_tls_verified_against_the_configured_ca_works(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
        ldaps: bool,
    ) -> None:
        transport = {"url": ldap_server.ldaps_url, "start_tls": False} if ldaps else {}
        use_ldap(direct_bind(ldap_server, **transport))
        uid = unique("tess")
        ldap_server.add_user(uid, PASSWORD, ("netraven-viewers",))
        assert role_in(await login(api_app, uid, PASSWORD)) == "viewer"

    @pytest.mark.parametrize("ldaps", [False, True], ids=["starttls", "ldaps"])
    async def test_a_server_certificate_from_another_ca_is_refused(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
        sessions: async_sessionmaker[AsyncSession],
        ldaps: bool,
    ) -> None:
        transport = {"url": ldap_server.ldaps_url, "start_tls": False} if ldaps else {}
        use_ldap(direct_bind(ldap_server, ca_file=ldap_server.other_ca_file, **transport))
        uid = unique("mallory")
        ldap_server.add_user(uid, PASSWORD, ("netraven-admins",))
        response = await login(api_app, uid, PASSWORD)
        assert response.status_code == 503
        assert "access_token" not in response.json()
        assert await account(sessions, uid) is None

    @pytest.mark.parametrize("ldaps", [False, True], ids=["starttls", "ldaps"])
    async def test_a_certificate_for_another_host_name_is_refused(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
        ldaps: bool,
    ) -> None:
        url = ldap_server.ldaps_url if ldaps else ldap_server.ldap_url
        use_ldap(
            direct_bind(ldap_server, url=url.replace("localhost", "127.0.0.1"), start_tls=not ldaps)
        )
        uid = unique("ivan")
        ldap_server.add_user(uid, PASSWORD, ("netraven-admins",))
        assert (await login(api_app, uid, PASSWORD)).status_code == 503


class TestLocalAccounts:
    async def test_a_local_account_keeps_its_own_password_when_ldap_is_on(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
    ) -> None:
        use_ldap(direct_bind(ldap_server))
        ldap_server.add_user("admin", PASSWORD, ("netraven-viewers",))
        assert role_in(await login(api_app, "admin", ADMIN_PASSWORD)) == "admin"
        assert (await login(api_app, "admin", PASSWORD)).status_code == 401
        # Another spelling is no local account, but the directory names the same "admin": refused,
        # not merged.
        taken = await login(api_app, "ADMIN", PASSWORD)
        assert taken.status_code == 409
        assert "already exists" in taken.json()["error"]


class TestEmptyPassword:
    async def test_it_is_refused_before_any_bind(self, ldap_server: LdapServer) -> None:
        """An empty password would be an anonymous ("unauthenticated") bind, which many servers
        accept: the directory here is one that cannot even be reached, so contacting it would answer
        503, not None."""
        unreachable = LdapSettings(
            **direct_bind(ldap_server, url=f"ldap://127.0.0.1:{free_port()}")
        )
        assert await authenticate(unreachable, "anyone", "") is None
        with pytest.raises(Unavailable):
            await authenticate(unreachable, "anyone", "something")


class TestDirectoryPasswords:
    async def test_a_directory_user_changes_their_password_in_the_directory_not_here(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
    ) -> None:
        use_ldap(direct_bind(ldap_server))
        uid = unique("pat")
        dn = ldap_server.add_user(uid, PASSWORD, ("netraven-viewers",))
        token = (await login(api_app, uid, PASSWORD)).json()["access_token"]
        async with client(api_app) as http:
            change = await http.post(
                "/api/auth/password",
                headers={"Authorization": f"Bearer {token}"},
                json={"current_password": PASSWORD, "new_password": "a-new-long-password"},
            )
        assert change.status_code == 409
        ldap_server.set_password(dn, "changed-in-the-directory")
        assert (await login(api_app, uid, PASSWORD)).status_code == 401
        assert role_in(await login(api_app, uid, "changed-in-the-directory")) == "viewer"
