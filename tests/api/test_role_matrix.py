"""Every endpoint of the app × every kind of caller: only the auth layer's answer is checked.

401 or 403 is the auth layer saying no; anything else (even a 404 or 422 for the dummy ids and empty
bodies sent here) means the caller got past it. The endpoints come from the app's OpenAPI
document, and each needs a rule in endpoint_roles.py: an endpoint added without one fails
`TestEveryEndpointHasARule`.
"""

import asyncio
import uuid
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from jwt.warnings import InsecureKeyLengthWarning

from tests.api.endpoint_roles import ADMIN, OPERATOR, PUBLIC, RANK, RULES, VIEWER, endpoints
from tests.fixtures.api import JWT_SECRET
from tests.fixtures.factories import unique

# These end the caller's own sessions: role callers get a disposable account of their role, so the
# shared fixtures' tokens stay valid for the endpoints after them and for other tests.
ENDS_THE_CALLERS_SESSIONS = {"POST /api/auth/sign-out-everywhere"}
# An event stream that got past auth never ends: no answer within this time means it opened.
STREAM_OPEN_SECONDS = 1.0
INVALID_CALLERS = [
    "no token",
    "expired",
    "tampered signature",
    "alg none",
    "HS512 same secret",
    "HS512 other key",
]
ROLE_CALLERS = [VIEWER, OPERATOR, ADMIN]
# API tokens act with their role, capped by their owner's: the admin's operator token is an
# operator.
API_TOKEN_CALLERS = {"viewer's API token": VIEWER, "admin's operator API token": OPERATOR}
# Only a person signed in with a password may do these; an API token is refused (refresh: it is no
# JWT).
SIGN_IN_ONLY = {
    "POST /api/auth/refresh": "401",
    "POST /api/auth/password": "403",
    "POST /api/auth/sign-out-everywhere": "403",
    "POST /api/tokens": "403",
    "POST /api/logs/stream-token": "403",
}
OTHER_KEY = "another-key-entirely-" + "0123456789abcdef" * 4  # long enough for SHA-512


def expected(endpoint: str, caller: str) -> str:
    rule = RULES.get(endpoint, ADMIN)
    if rule == PUBLIC:
        return "past auth"
    if caller in INVALID_CALLERS:
        return "401"
    if caller in API_TOKEN_CALLERS:
        if endpoint in SIGN_IN_ONLY:
            return SIGN_IN_ONLY[endpoint]
        caller = API_TOKEN_CALLERS[caller]
    return "past auth" if RANK[caller] >= RANK[rule] else "403"


def is_stream(operation: dict) -> bool:
    return any(
        "text/event-stream" in response.get("content", {})
        for response in operation["responses"].values()
    )


async def answer(
    client: AsyncClient, endpoint: str, operation: dict, authorization: str | None
) -> str:
    method, path = endpoint.split(" ", 1)
    url = path.format(
        **{p["name"]: uuid.uuid4() for p in operation.get("parameters", []) if p["in"] == "path"}
    )
    headers = {"Authorization": authorization} if authorization else {}
    body = {} if method in {"POST", "PUT", "PATCH"} else None
    try:
        async with asyncio.timeout(STREAM_OPEN_SECONDS if is_stream(operation) else None):
            response = await client.request(method, url, headers=headers, json=body)
    except TimeoutError:
        return "past auth"
    return str(response.status_code) if response.status_code in (401, 403) else "past auth"


def forged_tokens(admin_token: str) -> dict[str, str | None]:
    """Tokens for the real admin account that must all be refused."""
    claims = jwt.decode(admin_token, JWT_SECRET, algorithms=["HS256"])
    past = datetime.now(UTC) - timedelta(hours=2)
    expired = jwt.encode(
        claims | {"iat": past, "exp": past + timedelta(hours=1)}, JWT_SECRET, algorithm="HS256"
    )
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(expired, JWT_SECRET, algorithms=["HS256"])
    header, payload, signature = admin_token.split(".")
    changed = ("A" if signature[0] != "A" else "B") + signature[1:]
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", InsecureKeyLengthWarning
        )  # the test secret is short for SHA-512
        hs512 = jwt.encode(claims, JWT_SECRET, algorithm="HS512")
    return {
        "no token": None,
        "expired": expired,
        "tampered signature": f"{header}.{payload}.{changed}",
        "alg none": jwt.encode(claims, None, algorithm="none"),
        "HS512 same secret": hs512,
        "HS512 other key": jwt.encode(claims, OTHER_KEY, algorithm="HS512"),
    }


async def api_token_of(client: AsyncClient, role: str) -> str:
    response = await client.post(
        "/api/tokens", json={"name": unique("matrix"), "role": role, "expires_in_days": 1}
    )
    assert response.status_code == 201, response.text
    return response.json()["secret"]


@pytest.fixture
async def authorization_of(
    admin: AsyncClient, operator: AsyncClient, viewer: AsyncClient
) -> Callable[[str], str | None]:
    forged = forged_tokens(admin.headers["Authorization"].split()[1])
    clients = {VIEWER: viewer, OPERATOR: operator, ADMIN: admin}
    api_tokens = {
        "viewer's API token": await api_token_of(viewer, VIEWER),
        "admin's operator API token": await api_token_of(admin, OPERATOR),
    }

    def authorization(caller: str) -> str | None:
        if caller in clients:
            return clients[caller].headers["Authorization"]
        if caller in api_tokens:
            return f"Bearer {api_tokens[caller]}"
        return f"Bearer {forged[caller]}" if forged[caller] else None

    return authorization


async def disposable_authorization(admin: AsyncClient, role: str) -> str:
    username, password = unique(f"matrix-{role}"), "a-password-long-enough"
    await admin.post("/api/users", json={"username": username, "password": password, "role": role})
    token = (
        await admin.post("/api/auth/token", data={"username": username, "password": password})
    ).json()
    return f"Bearer {token['access_token']}"


class TestEveryEndpointHasARule:
    def test_rules_name_exactly_the_app_endpoints(self, api_app: FastAPI) -> None:
        found = set(endpoints(api_app))
        assert found - set(RULES) == set(), "endpoints without a rule in RULES"
        assert set(RULES) - found == set(), "rules for endpoints the app no longer has"


class TestAuthLayer:
    @pytest.mark.parametrize("caller", INVALID_CALLERS + ROLE_CALLERS + list(API_TOKEN_CALLERS))
    async def test_every_endpoint_answers_this_caller_by_its_rule(
        self,
        caller: str,
        api_app: FastAPI,
        anonymous: AsyncClient,
        admin: AsyncClient,
        authorization_of: Callable[[str], str | None],
    ) -> None:
        wrong = []
        for endpoint, operation in sorted(endpoints(api_app).items()):
            want = expected(endpoint, caller)
            if endpoint in ENDS_THE_CALLERS_SESSIONS and caller in ROLE_CALLERS:
                authorization = await disposable_authorization(admin, caller)
            else:
                authorization = authorization_of(caller)
            got = await answer(anonymous, endpoint, operation, authorization)
            if got != want:
                wrong.append(f"{endpoint}: expected {want}, got {got}")
        assert not wrong, f"{caller}:\n" + "\n".join(wrong)
