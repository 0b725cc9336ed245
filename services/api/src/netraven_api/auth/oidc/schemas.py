from pydantic import BaseModel


class OidcMethod(BaseModel):
    name: str  # the login page says "Sign in with <name>"
    login_url: str


class SignInMethods(BaseModel):
    local: (
        bool  # the username and password form: NetRaven's own accounts (unless turned off), or LDAP
    )
    oidc: OidcMethod | None
