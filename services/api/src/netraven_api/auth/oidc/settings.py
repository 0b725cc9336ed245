"""What the api needs to know about the OpenID Connect provider: `NETRAVEN_OIDC_*` environment
variables."""

from typing import Annotated

from netraven_shared.db.models import Role
from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from netraven_api.auth.directory_users import GroupRoles

GroupList = Annotated[list[str], NoDecode]


class OidcSettings(BaseSettings):
    """Single sign-on is on once `issuer` and `client_id` are set. The group lists are
    comma-separated (`NETRAVEN_OIDC_ADMIN_GROUPS=netraven-admins,noc-leads`); a user in none of them
    cannot sign in."""

    model_config = SettingsConfigDict(
        env_prefix="NETRAVEN_OIDC_", extra="ignore", env_ignore_empty=True
    )

    issuer: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    display_name: str = "single sign-on"
    scopes: str = "openid profile email groups"
    groups_claim: str = "groups"
    username_claim: str = "preferred_username"
    admin_groups: GroupList = []
    operator_groups: GroupList = []
    viewer_groups: GroupList = []
    # Behind a proxy that hides the public scheme or host, the callback address the provider must
    # send users to.
    redirect_url: str | None = None

    @field_validator("admin_groups", "operator_groups", "viewer_groups", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [group.strip() for group in value.split(",") if group.strip()]
        return value

    @property
    def enabled(self) -> bool:
        return bool(self.issuer and self.client_id)

    @property
    def group_roles(self) -> GroupRoles:
        return {
            Role.ADMIN: self.admin_groups,
            Role.OPERATOR: self.operator_groups,
            Role.VIEWER: self.viewer_groups,
        }
