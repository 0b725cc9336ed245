"""An OpenID Connect provider for the tests, built on Authlib's server side, served over real
HTTP."""
