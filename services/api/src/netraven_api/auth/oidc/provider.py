"""The provider's published configuration (`<issuer>/.well-known/openid-configuration`) and signing
keys, fetched once and kept for a while: every api replica fetches its own copy, so nothing here has
to be shared."""

import time
from dataclasses import dataclass, replace
from typing import cast

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, KeySetSerialization

from netraven_api.auth.oidc.refusal import SignInRefused

_KEEP_SECONDS = 3600
_TIMEOUT = httpx.Timeout(10.0)


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    keys: KeySet


class ProviderDirectory:
    """Providers by issuer. Keys are fetched again when a token names one we do not have (the
    provider rotated)."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[float, Provider]] = {}

    async def provider(self, issuer: str) -> Provider:
        fetched_at, provider = self._known.get(issuer, (0.0, None))
        if provider is None or time.monotonic() - fetched_at > _KEEP_SECONDS:
            provider = await _discover(issuer)
            self._known[issuer] = (time.monotonic(), provider)
        return provider

    async def with_fresh_keys(self, issuer: str) -> Provider:
        current = await self.provider(issuer)
        provider = replace(current, keys=await _fetch_keys(current.jwks_uri))
        self._known[issuer] = (time.monotonic(), provider)
        return provider


async def _discover(issuer: str) -> Provider:
    document = await _fetch_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
    published = document.get("issuer")
    if not isinstance(published, str) or published.rstrip("/") != issuer.rstrip("/"):
        raise SignInRefused("the identity provider's configuration names a different issuer")
    try:
        return Provider(
            issuer=published,
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            jwks_uri=document["jwks_uri"],
            userinfo_endpoint=document.get("userinfo_endpoint"),
            keys=await _fetch_keys(document["jwks_uri"]),
        )
    except KeyError as missing:
        raise SignInRefused(f"the identity provider's configuration lacks {missing}") from None


async def _fetch_keys(jwks_uri: str) -> KeySet:
    try:
        return KeySet.import_key_set(cast(KeySetSerialization, await _fetch_json(jwks_uri)))
    except (JoseError, ValueError, TypeError) as error:
        raise SignInRefused("the identity provider's signing keys cannot be read") from error


async def _fetch_json(url: str) -> dict:
    try:
        async with httpx.AsyncClient(timeout=_TIMEOUT) as http:
            response = await http.get(url)
            response.raise_for_status()
            document = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise SignInRefused("the identity provider cannot be reached; try again later") from error
    if not isinstance(document, dict):
        raise SignInRefused(
            "the identity provider answered something that is not its configuration"
        )
    return document
