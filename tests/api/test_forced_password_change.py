"""A password someone else knows (an admin set it, or it was generated into a log) must be replaced
at first sign-in: until then the account may only change it."""

import pytest
from httpx import AsyncClient
from netraven_api.bootstrap import first_admin_password
from netraven_api.config import ApiSettings

from tests.fixtures.factories import unique

SET_BY_ADMIN = "an-admin-chose-this-one"
CHOSEN = "only-the-user-knows-this"


async def _sign_in(client: AsyncClient, username: str, password: str) -> dict:
    response = await client.post(
        "/api/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _bearer(token: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {token['access_token']}"}


async def test_a_user_an_admin_created_must_choose_a_password_before_anything_else(
    admin: AsyncClient, anonymous: AsyncClient
) -> None:
    name = unique("fresh")
    assert (
        await admin.post("/api/users", json={"username": name, "password": SET_BY_ADMIN})
    ).json()["must_change_password"]
    token = await _sign_in(anonymous, name, SET_BY_ADMIN)
    assert token["must_change_password"] is True
    refused = await anonymous.get("/api/devices", headers=_bearer(token))
    assert refused.status_code == 403
    assert refused.json()["detail"] == {"reason": "password_change_required"}
    changed = await anonymous.post(
        "/api/auth/password",
        headers=_bearer(token),
        json={"current_password": SET_BY_ADMIN, "new_password": CHOSEN},
    )
    assert changed.status_code == 204
    again = await _sign_in(anonymous, name, CHOSEN)
    assert again["must_change_password"] is False
    assert (await anonymous.get("/api/devices", headers=_bearer(again))).status_code == 200


async def test_a_password_reset_by_an_admin_must_be_changed_again(
    admin: AsyncClient, anonymous: AsyncClient
) -> None:
    name = unique("reset")
    user = (
        await admin.post("/api/users", json={"username": name, "password": SET_BY_ADMIN})
    ).json()
    first = await _sign_in(anonymous, name, SET_BY_ADMIN)
    await anonymous.post(
        "/api/auth/password",
        headers=_bearer(first),
        json={"current_password": SET_BY_ADMIN, "new_password": CHOSEN},
    )
    assert (await admin.patch(f"/api/users/{user['id']}", json={"password": SET_BY_ADMIN})).json()[
        "must_change_password"
    ]
    assert (await _sign_in(anonymous, name, SET_BY_ADMIN))["must_change_password"] is True


def test_a_generated_bootstrap_password_must_be_changed_and_a_given_one_obeys_the_rules(
    api_settings: ApiSettings,
) -> None:
    generated, must_change = first_admin_password(
        api_settings.model_copy(update={"admin_password": None})
    )
    assert len(generated) >= 16 and must_change
    assert first_admin_password(api_settings.model_copy(update={"admin_password": CHOSEN})) == (
        CHOSEN,
        False,
    )
    with pytest.raises(ValueError, match="NETRAVEN_ADMIN_PASSWORD must be 12 to 256 characters"):
        first_admin_password(api_settings.model_copy(update={"admin_password": "short"}))
