"""Single sign-on with an OpenID Connect provider (Keycloak, Authentik, Entra ID, ...): the
authorization code flow with PKCE, as a confidential client of the provider."""
