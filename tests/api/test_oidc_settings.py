"""Single sign-on settings: read from NETRAVEN_OIDC_*, the client secret never shown."""

import pytest
from netraven_api.auth.oidc.settings import OidcSettings


def test_group_lists_are_read_comma_separated_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NETRAVEN_OIDC_ADMIN_GROUPS", "netraven-admins, noc-leads")
    monkeypatch.setenv("NETRAVEN_OIDC_ISSUER", "https://sso.example/realms/netraven")
    monkeypatch.setenv("NETRAVEN_OIDC_CLIENT_ID", "netraven")
    oidc = OidcSettings()
    assert (
        oidc.enabled
        and oidc.admin_groups == ["netraven-admins", "noc-leads"]
        and oidc.viewer_groups == []
    )


def test_the_client_secret_never_shows_in_the_settings_repr() -> None:
    assert "s3cret-value" not in repr(OidcSettings(client_secret="s3cret-value"))
