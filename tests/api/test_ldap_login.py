"""Login with LDAP / Active Directory accounts, against a real slapd (tests/fixtures/ldap_server.py)."""

import random
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager

import jwt
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from netraven_api.auth.browser_session import REFRESH_COOKIE
from netraven_api.auth.ldap.directory import authenticate
from netraven_api.auth.ldap.settings import LdapSettings
from netraven_devstack.ports import free_port
from netraven_shared.db.models import User
from netraven_shared.errors import Unavailable
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.api import ADMIN_PASSWORD, JWT_SECRET
from tests.fixtures.factories import unique
from tests.fixtures.ldap_server import (
    GROUPS,
    PEOPLE,
    SERVICE_DN,
    SERVICE_PASSWORD,
    UNMAPPED_GROUP,
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
    """Point the session's api at the test directory for one test; LDAP login is off again after it."""
    original = api_app.state.settings

    def use(settings: dict[str, object]) -> LdapSettings:
        ldap = LdapSettings(**settings)
        api_app.state.settings = original.model_copy(update={"ldap": ldap})
        return ldap

    yield use
    api_app.state.settings = original


@asynccontextmanager
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """A client from an address of its own: the login throttle counts per address, and the app is shared."""
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

    async def test_a_group_change_in_the_directory_changes_the_role_at_the_next_sign_in_and_ends_old_sessions(
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
        """Unescaped, `gus-1234*` would find gus and the bind with gus's password would sign in as him."""
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
        # Another spelling is no local account, but the directory names the same "admin": refused, not merged.
        taken = await login(api_app, "ADMIN", PASSWORD)
        assert taken.status_code == 409
        assert "already exists" in taken.json()["error"]


class TestEmptyPassword:
    async def test_it_is_refused_before_any_bind(self, ldap_server: LdapServer) -> None:
        """An empty password would be an anonymous ("unauthenticated") bind, which many servers accept: the
        directory here is one that cannot even be reached, so contacting it would answer 503, not None."""
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
