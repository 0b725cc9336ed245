"""Authlib's AuthorizationServer with the authorization code grant, PKCE (S256, required) and OpenID
Connect ID tokens signed by an RSA key published at the JWKS endpoint, adapted to Starlette. Consent
is automatic: the authorization endpoint signs in whoever the test chose with `sign_in_as`."""

from collections import defaultdict
from typing import ClassVar

from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import OAuth2Error, OAuth2Payload, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.oidc_provider.models import AuthorizationCode, Client, Person


class _Payload(OAuth2Payload):
    def __init__(self, values: dict[str, list[str]]) -> None:
        self._datalist = defaultdict(list, values)

    @property
    def data(self) -> dict[str, str]:
        return {key: values[0] for key, values in self._datalist.items()}

    @property
    def datalist(self) -> defaultdict[str, list]:
        return self._datalist


class _Request(OAuth2Request):
    def __init__(self, request: Request, form: dict[str, list[str]]) -> None:
        super().__init__(request.method, str(request.url), headers=request.headers)
        query = {key: request.query_params.getlist(key) for key in request.query_params}
        self._form = {key: values[0] for key, values in form.items()}
        self._args = {key: values[0] for key, values in query.items()}
        self.payload = _Payload(query | form)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class IdentityProvider(AuthorizationServer):
    """`issuer` is set once the server listens. `id_token_changes` alter every ID token from then on
    (to test that the api refuses a wrong audience, an expired token, ...); with `publish_key` off,
    the JWKS endpoint no longer shows the key that signs them (as if a forger signed them); with
    `groups_in_id_token` off, only the userinfo endpoint tells the groups (as some providers do)."""

    def __init__(self, client: Client) -> None:
        super().__init__()
        self.issuer = ""
        self.client = client
        self.key = self._new_key()
        self.publish_key = True
        self.groups_in_id_token = True
        self.access_tokens: dict[str, Person] = {}
        self.signing_in: Person | None = None
        self.id_token_changes: dict = {}
        self.codes: dict[str, AuthorizationCode] = {}
        self.register_token_generator(
            "default", BearerTokenGenerator(lambda **_: generate_token(42))
        )
        self.register_grant(_CodeGrant, [CodeChallenge(required=True), _IdTokens(self)])

    def sign_in_as(self, person: Person) -> None:
        self.signing_in = person

    def rotate_key(self) -> None:
        self.key = self._new_key()

    @staticmethod
    def _new_key() -> RSAKey:
        return RSAKey.generate_key(2048, parameters={"kid": generate_token(8)})

    def query_client(self, client_id: str) -> Client | None:
        return self.client if client_id == self.client.client_id else None

    def save_token(self, token: dict, request: OAuth2Request) -> None:
        self.access_tokens[token["access_token"]] = request.user

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def handle_response(
        self, status: int, body: dict | str, headers: list[tuple[str, str]]
    ) -> Response:
        if isinstance(body, dict):
            return JSONResponse(body, status_code=status, headers=dict(headers))
        return Response(body, status_code=status, headers=dict(headers))

    def send_signal(self, name: str, *args, **kwargs) -> None:
        pass

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._configuration),
                Route("/jwks", self._jwks),
                Route("/authorize", self._authorize),
                Route("/token", self._token, methods=["POST"]),
                Route("/userinfo", self._userinfo),
            ]
        )

    async def _configuration(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def _jwks(self, request: Request) -> Response:
        published = self.key if self.publish_key else self._new_key()
        return JSONResponse({"keys": [published.as_dict(private=False)]})

    async def _authorize(self, request: Request) -> Response:
        oauth_request = _Request(request, {})
        try:
            grant = self.get_consent_grant(oauth_request, end_user=self.signing_in)
        except OAuth2Error as error:
            return self.handle_error_response(oauth_request, error)
        return self.create_authorization_response(
            oauth_request, grant_user=self.signing_in, grant=grant
        )

    async def _userinfo(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        person = self.access_tokens.get(token) if scheme.lower() == "bearer" else None
        if person is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        return JSONResponse(user_info(person))

    async def _token(self, request: Request) -> Response:
        form = await request.form()
        return self.create_token_response(
            _Request(request, {key: form.getlist(key) for key in form})
        )


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        self.server.codes[code] = AuthorizationCode(
            code=code,
            client_id=request.client.client_id,
            redirect_uri=request.payload.redirect_uri,
            scope=request.payload.scope,
            person=request.user,
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        found = self.server.codes.get(code)
        return found if found and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        self.server.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> Person:
        return authorization_code.person


class _IdTokens(OpenIDCode):
    def __init__(self, provider: IdentityProvider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return any(code.nonce == nonce for code in self.provider.codes.values())

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return self.provider.key

    def get_encode_header(self, client: Client) -> dict:
        return {"alg": "RS256", "kid": self.provider.key.kid}

    def get_client_claims(self, client: Client) -> dict:
        return {"iss": self.provider.issuer, "aud": [client.client_id]}

    def generate_user_info(self, person: Person, scope: str) -> dict:
        claims = user_info(person)
        if not self.provider.groups_in_id_token:
            del claims["groups"]
        return claims | self.provider.id_token_changes


def user_info(person: Person) -> dict:
    return dict(
        UserInfo(sub=person.subject, preferred_username=person.username, groups=person.groups)
    )
