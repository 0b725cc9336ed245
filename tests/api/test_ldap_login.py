"""Login with LDAP / Active Directory accounts, against a real slapd
(tests/fixtures/ldap_server.py): binding directly, searching with a service account first, Active
Directory's disabled bit, and the groups that give the role. TLS and local accounts are in
test_ldap_tls_and_local_accounts.py."""

import pytest
from fastapi import FastAPI
from netraven_api.auth.browser_session import REFRESH_COOKIE
from netraven_shared.db.models import User
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.ldap_sign_in import (
    AFTER_FAILURES,
    PASSWORD,
    UseLdap,
    account,
    client,
    direct_bind,
    login,
    role_in,
    search_then_bind,
)
from tests.fixtures.factories import unique
from tests.fixtures.ldap_server import PEOPLE, UNMAPPED_GROUP, LdapServer


class TestDirectBind:
    async def test_a_directory_admin_signs_in_as_admin_with_an_account_of_source_ldap(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        use_ldap(direct_bind(ldap_server))
        uid = unique("ada")
        ldap_server.add_user(uid, PASSWORD, ("netraven-admins", UNMAPPED_GROUP))
        async with client(api_app) as http:
            response = await http.post(
                "/api/auth/token", data={"username": uid, "password": PASSWORD}
            )
            assert role_in(response) == "admin"
            assert response.json()["must_change_password"] is False
            assert REFRESH_COOKIE in response.cookies
            me = await http.get(
                "/api/users/me",
                headers={"Authorization": f"Bearer {response.json()['access_token']}"},
            )
        assert me.json()["username"] == uid
        assert me.json()["auth_source"] == "ldap"
        user = await account(sessions, uid)
        assert user.password_hash is None
        assert user.external_id == ldap_server.entry_uuid(f"uid={uid},{PEOPLE}")

    async def test_groups_may_be_mapped_by_dn_and_by_name_in_any_case(
        self, api_app: FastAPI, ldap_server: LdapServer, use_ldap: UseLdap
    ) -> None:
        use_ldap(direct_bind(ldap_server))
        operator, viewer = unique("oscar"), unique("vera")
        ldap_server.add_user(operator, PASSWORD, ("netraven-operators",))
        ldap_server.add_user(viewer, PASSWORD, ("netraven-viewers",))
        assert role_in(await login(api_app, operator, PASSWORD)) == "operator"
        assert role_in(await login(api_app, viewer, PASSWORD)) == "viewer"

    async def test_a_wrong_password_is_401_and_counts_towards_the_throttle(
        self, api_app: FastAPI, ldap_server: LdapServer, use_ldap: UseLdap
    ) -> None:
        use_ldap(direct_bind(ldap_server))
        uid = unique("wanda")
        ldap_server.add_user(uid, PASSWORD, ("netraven-viewers",))
        async with client(api_app) as http:
            answers = [
                await http.post("/api/auth/token", data={"username": uid, "password": "not-it"})
                for _ in range(AFTER_FAILURES + 1)
            ]
        assert [answer.status_code for answer in answers] == [401] * AFTER_FAILURES + [429]
        assert answers[0].json() == {"error": "invalid username or password", "detail": None}

    async def test_a_username_that_is_not_in_the_directory_is_401(
        self, api_app: FastAPI, ldap_server: LdapServer, use_ldap: UseLdap
    ) -> None:
        use_ldap(direct_bind(ldap_server))
        response = await login(api_app, unique("nobody"), PASSWORD)
        assert response.status_code == 401
        assert response.json()["error"] == "invalid username or password"


class TestSearchThenBind:
    async def test_the_service_account_finds_the_user_and_their_memberof_gives_the_role(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
    ) -> None:
        use_ldap(search_then_bind(ldap_server))
        uid = unique("sam")
        ldap_server.add_user(uid, PASSWORD, ("netraven-operators",))
        assert role_in(await login(api_app, uid, PASSWORD)) == "operator"
        assert (await login(api_app, uid, "not-it")).status_code == 401

    async def test_a_directory_group_change_sets_the_role_at_next_sign_in_and_ends_old_sessions(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
    ) -> None:
        use_ldap(search_then_bind(ldap_server))
        uid = unique("gina")
        dn = ldap_server.add_user(uid, PASSWORD, ("netraven-viewers",))
        first = await login(api_app, uid, PASSWORD)
        assert role_in(first) == "viewer"
        ldap_server.leave("netraven-viewers", dn)
        ldap_server.join("netraven-admins", dn)
        assert role_in(await login(api_app, uid, PASSWORD)) == "admin"
        async with client(api_app) as http:
            old = await http.get(
                "/api/users/me", headers={"Authorization": f"Bearer {first.json()['access_token']}"}
            )
        assert old.status_code == 401

    async def test_a_user_in_no_mapped_group_is_refused_and_gets_no_account(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        use_ldap(search_then_bind(ldap_server))
        uid = unique("nora")
        ldap_server.add_user(uid, PASSWORD, (UNMAPPED_GROUP,))
        response = await login(api_app, uid, PASSWORD)
        assert response.status_code == 401
        assert "no group" in response.json()["error"]
        assert await account(sessions, uid) is None

    async def test_a_user_disabled_in_netraven_is_refused_though_the_directory_accepts_them(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        use_ldap(search_then_bind(ldap_server))
        uid = unique("dora")
        ldap_server.add_user(uid, PASSWORD, ("netraven-admins",))
        assert role_in(await login(api_app, uid, PASSWORD)) == "admin"
        async with sessions() as session:
            (await session.scalar(select(User).where(User.username == uid))).is_active = False
            await session.commit()
        response = await login(api_app, uid, PASSWORD)
        assert response.status_code == 401
        assert "disabled" in response.json()["error"]

    @pytest.mark.parametrize("typed", ["*)(uid=*", "{uid_start}*", "*"])
    async def test_filter_characters_in_the_username_match_nobody(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
        sessions: async_sessionmaker[AsyncSession],
        typed: str,
    ) -> None:
        """Unescaped, `gus-1234*` would find gus and the bind with gus's password would sign in as
        him."""
        use_ldap(search_then_bind(ldap_server))
        uid = unique("gus")
        ldap_server.add_user(uid, PASSWORD, ("netraven-admins",))
        username = typed.format(uid_start=uid[:-2])
        response = await login(api_app, username, PASSWORD)
        assert response.status_code == 401
        assert await account(sessions, uid) is None
        assert await account(sessions, username) is None

    async def test_an_empty_password_is_refused(
        self, api_app: FastAPI, ldap_server: LdapServer, use_ldap: UseLdap
    ) -> None:
        use_ldap(search_then_bind(ldap_server))
        uid = unique("eve")
        ldap_server.add_user(uid, PASSWORD, ("netraven-admins",))
        response = await login(api_app, uid, "")
        assert response.status_code in (401, 422)
        assert "access_token" not in response.json()


class TestActiveDirectoryStyle:
    @staticmethod
    def active_directory(server: LdapServer) -> dict[str, object]:
        return search_then_bind(
            server,
            user_filter="(&(objectClass=activeDirectoryLikeUser)(sAMAccountName={username}))",
            username_attribute="sAMAccountName",
        )

    async def test_an_enabled_account_signs_in(
        self, api_app: FastAPI, ldap_server: LdapServer, use_ldap: UseLdap
    ) -> None:
        use_ldap(self.active_directory(ldap_server))
        uid = unique("adam")
        ldap_server.add_user(uid, PASSWORD, ("netraven-operators",), account_control=512)
        assert role_in(await login(api_app, uid, PASSWORD)) == "operator"

    async def test_an_account_with_the_disabled_bit_is_refused(
        self,
        api_app: FastAPI,
        ldap_server: LdapServer,
        use_ldap: UseLdap,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        use_ldap(self.active_directory(ldap_server))
        uid = unique("dis")
        ldap_server.add_user(uid, PASSWORD, ("netraven-admins",), account_control=514)
        assert (await login(api_app, uid, PASSWORD)).status_code == 401
        assert await account(sessions, uid) is None
