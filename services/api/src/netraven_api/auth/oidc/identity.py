"""Who the provider says signed in: the authorization code exchanged for tokens, and the ID token
checked (signature by the provider's published keys, issuer, audience, nonce, expiry) before any
claim is believed."""

from dataclasses import dataclass

import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError

from netraven_api.auth.oidc.login_state import LoginState
from netraven_api.auth.oidc.provider import Provider, ProviderDirectory
from netraven_api.auth.oidc.refusal import SignInRefused
from netraven_api.auth.oidc.settings import OidcSettings

# Signed by the provider's private key only: HS256 would make the client secret a signing key,
# "none" no key at all.
_SIGNATURE_ALGORITHMS = [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
]
_CLOCK_SKEW_SECONDS = 60
_TIMEOUT = httpx.Timeout(10.0)


@dataclass(frozen=True)
class Identity:
    subject: str
    username: str
    groups: list[str]


def oauth_client(oidc: OidcSettings, redirect_uri: str) -> AsyncOAuth2Client:
    secret = oidc.client_secret.get_secret_value() if oidc.client_secret else None
    return AsyncOAuth2Client(
        oidc.client_id,
        secret,
        scope=oidc.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=_TIMEOUT,
    )


async def identity_from_code(
    oidc: OidcSettings,
    providers: ProviderDirectory,
    redirect_uri: str,
    code: str,
    login: LoginState,
) -> Identity:
    assert oidc.issuer and oidc.client_id, "single sign-on is configured"
    provider = await providers.provider(oidc.issuer)
    async with oauth_client(oidc, redirect_uri) as client:
        tokens = await _exchange(client, provider, code, login.code_verifier)
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise SignInRefused(
                "the identity provider sent no ID token: is 'openid' among NETRAVEN_OIDC_SCOPES?"
            )
        claims = await _verified_claims(
            id_token, oidc.issuer, oidc.client_id, login.nonce, providers
        )
        if oidc.groups_claim not in claims and provider.userinfo_endpoint:
            claims = await _userinfo(client, provider.userinfo_endpoint, claims["sub"]) | claims
    return Identity(
        subject=claims["sub"],
        username=_username(claims, oidc.username_claim),
        groups=_groups(claims, oidc.groups_claim),
    )


async def _exchange(
    client: AsyncOAuth2Client, provider: Provider, code: str, code_verifier: str
) -> dict:
    try:
        return await client.fetch_token(
            provider.token_endpoint,
            grant_type="authorization_code",
            code=code,
            code_verifier=code_verifier,
        )
    except OAuthError as error:
        raise SignInRefused(f"the identity provider refused the sign-in ({error.error})") from None
    except httpx.HTTPError as error:
        raise SignInRefused("the identity provider cannot be reached; try again later") from error
    except ValueError as error:
        raise SignInRefused("the identity provider's token answer cannot be read") from error


async def _verified_claims(
    id_token: str, issuer: str, client_id: str, nonce: str, providers: ProviderDirectory
) -> dict:
    provider = await providers.provider(issuer)
    try:
        token = jwt.decode(id_token, provider.keys, algorithms=_SIGNATURE_ALGORITHMS)
    except (JoseError, ValueError):
        provider = await providers.with_fresh_keys(
            issuer
        )  # the provider may have rotated its keys since we fetched them
        try:
            token = jwt.decode(id_token, provider.keys, algorithms=_SIGNATURE_ALGORITHMS)
        except (JoseError, ValueError):
            raise SignInRefused(
                "the identity provider's ID token is not signed by its published keys"
            ) from None
    required = jwt.JWTClaimsRegistry(
        leeway=_CLOCK_SKEW_SECONDS,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        required.validate(token.claims)
    except ExpiredTokenError:
        raise SignInRefused(
            "the identity provider's ID token has expired; check both clocks"
        ) from None
    except JoseError as error:
        raise SignInRefused(
            f"the identity provider's ID token is not valid for this sign-in ({error.description})"
        ) from None
    audiences = token.claims["aud"]
    if isinstance(audiences, list) and len(audiences) > 1 and token.claims.get("azp") != client_id:
        raise SignInRefused("the identity provider's ID token was issued to another client")
    return token.claims


async def _userinfo(client: AsyncOAuth2Client, endpoint: str, subject: str) -> dict:
    """Some providers put groups only in the userinfo answer, not in the ID token. The client sends
    the access token it just received."""
    try:
        response = await client.get(endpoint)
        response.raise_for_status()
        claims = response.json()
    except (OAuthError, httpx.HTTPError, ValueError) as error:
        raise SignInRefused("the identity provider's user information cannot be read") from error
    if not isinstance(claims, dict) or claims.get("sub") != subject:
        raise SignInRefused("the identity provider's user information is about someone else")
    return claims


def _username(claims: dict, claim: str) -> str:
    username = claims.get(claim)
    if not isinstance(username, str) or not username.strip():
        raise SignInRefused(
            f"the identity provider sent no '{claim}' claim (NETRAVEN_OIDC_USERNAME_CLAIM)"
        )
    return username.strip()


def _groups(claims: dict, claim: str) -> list[str]:
    groups = claims.get(claim, [])
    if isinstance(groups, str):
        return [groups]
    if not isinstance(groups, list):
        raise SignInRefused(f"the identity provider's '{claim}' claim is not a list of groups")
    return [group for group in groups if isinstance(group, str)]
