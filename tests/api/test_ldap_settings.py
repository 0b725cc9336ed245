"""NETRAVEN_LDAP_* settings: what a usable setup needs, and that the bind password stays secret."""

import pytest
from netraven_api.auth.ldap.directory import is_disabled
from netraven_api.auth.ldap.settings import LdapSettings
from netraven_shared.db.models import Role
from pydantic import ValidationError

SEARCH = {
    "url": "ldaps://dc1.corp.example:636",
    "bind_dn": "CN=netraven,OU=Service,DC=corp,DC=example",
    "bind_password": "service-secret-value",
    "user_search_base": "DC=corp,DC=example",
    "user_filter": "(sAMAccountName={username})",
    "member_of_attribute": "memberOf",
    "admin_groups": ["NetRaven Admins"],
}


def refusal(**settings: object) -> str:
    with pytest.raises(ValidationError) as refused:
        LdapSettings(**settings)
    return str(refused.value)


def test_ldap_login_is_off_until_a_url_is_set() -> None:
    assert LdapSettings().enabled is False
    assert LdapSettings(**SEARCH).enabled is True


def test_group_lists_come_from_the_environment_as_json_or_separated_by_semicolons(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "NETRAVEN_LDAP_ADMIN_GROUPS",
        "CN=NetRaven Admins,OU=Groups,DC=corp,DC=example; Domain Admins",
    )
    monkeypatch.setenv(
        "NETRAVEN_LDAP_VIEWER_GROUPS", '["noc", "CN=Help Desk,OU=Groups,DC=corp,DC=example"]'
    )
    settings = LdapSettings(
        **{key: value for key, value in SEARCH.items() if key != "admin_groups"}
    )
    assert settings.group_roles == {
        Role.ADMIN: ["CN=NetRaven Admins,OU=Groups,DC=corp,DC=example", "Domain Admins"],
        Role.OPERATOR: [],
        Role.VIEWER: ["noc", "CN=Help Desk,OU=Groups,DC=corp,DC=example"],
    }


def test_plain_ldap_without_starttls_is_refused_unless_allowed_on_purpose() -> None:
    plain = SEARCH | {"url": "ldap://dc1.corp.example"}
    assert "in the clear" in refusal(**plain)
    assert LdapSettings(**plain, start_tls=True).uses_tls
    assert not LdapSettings(**plain, allow_plaintext=True).uses_tls


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"url": "http://dc1.corp.example"}, "ldap:// or ldaps://"),
        ({"start_tls": True}, "ldaps:// is TLS already"),
        ({"user_dn_template": "uid={username},ou=people,dc=corp,dc=example"}, "exactly one"),
        ({"user_search_base": None}, "exactly one"),
        ({"user_filter": "(sAMAccountName=admin)"}, "USER_FILTER must contain {username}"),
        ({"member_of_attribute": None}, "groups decide the role"),
        ({"admin_groups": []}, "map at least one group"),
        ({"bind_dn": None}, "BIND_DN and NETRAVEN_LDAP_BIND_PASSWORD together"),
        ({"bind_password": None}, "BIND_DN and NETRAVEN_LDAP_BIND_PASSWORD together"),
    ],
)
def test_an_unusable_setup_is_refused_with_what_to_fix(
    change: dict[str, object], complaint: str
) -> None:
    assert complaint in refusal(**(SEARCH | change))


def test_the_bind_password_is_in_no_error_or_representation() -> None:
    message = refusal(**(SEARCH | {"url": "http://dc1.corp.example"}))
    assert "service-secret-value" not in message
    assert "service-secret-value" not in repr(LdapSettings(**SEARCH))


@pytest.mark.parametrize(
    ("attributes", "disabled"),
    [
        ({"userAccountControl": [b"512"]}, False),
        ({"userAccountControl": [b"514"]}, True),
        (
            {"useraccountcontrol": [b"66050"]},
            True,
        ),  # disabled, password never expires: attribute names ignore case
        ({"pwdAccountLockedTime": [b"000001010000Z"]}, True),
        (
            {"pwdAccountLockedTime": [b"20261206013000Z"]},
            False,
        ),  # a lockout that expires: the bind decides
        ({}, False),
    ],
)
def test_which_directory_entries_count_as_disabled(
    attributes: dict[str, list[bytes]], disabled: bool
) -> None:
    assert is_disabled(attributes) is disabled
