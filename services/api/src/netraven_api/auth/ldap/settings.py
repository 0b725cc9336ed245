"""How NetRaven finds and checks LDAP / Active Directory users: `NETRAVEN_LDAP_*` environment
variables.

LDAP login is off until NETRAVEN_LDAP_URL is set. A user is found either by binding directly to a DN
built from a template, or by searching with a service account and then binding as the entry found.
Their groups (a group search, a memberOf-style attribute, or both) decide their role.
"""

import json
from pathlib import Path
from typing import Annotated

from netraven_shared.db.models import Role
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Group DNs contain commas, so a list is JSON (`["a", "b"]`) or separated by semicolons.
GroupList = Annotated[list[str], NoDecode]


class LdapSettings(BaseSettings):
    # hide_input_in_errors: a refused setup must not print the bind password in its error.
    model_config = SettingsConfigDict(
        env_prefix="NETRAVEN_LDAP_",
        extra="ignore",
        env_ignore_empty=True,
        hide_input_in_errors=True,
    )

    url: str | None = None
    start_tls: bool = False
    ca_file: Path | None = None
    # Plain ldap:// without StartTLS sends passwords in the clear: refused unless said on purpose.
    allow_plaintext: bool = False

    user_dn_template: str | None = None
    bind_dn: str | None = None
    bind_password: SecretStr | None = None
    user_search_base: str | None = None
    user_filter: str = "(uid={username})"
    username_attribute: str = "uid"
    # "dn" uses the entry's DN, which changes when the entry is renamed or moved.
    id_attribute: str = "entryUUID"

    group_search_base: str | None = None
    group_filter: str = "(member={user_dn})"
    group_name_attribute: str = "cn"
    member_of_attribute: str | None = None

    admin_groups: GroupList = Field(default_factory=list)
    operator_groups: GroupList = Field(default_factory=list)
    viewer_groups: GroupList = Field(default_factory=list)

    connect_timeout_seconds: float = 5.0
    operation_timeout_seconds: int = Field(
        default=10, ge=1
    )  # whole seconds: ldap3 packs it into SO_RCVTIMEO
    threads: int = Field(default=4, ge=1)

    @property
    def enabled(self) -> bool:
        return self.url is not None

    @property
    def uses_tls(self) -> bool:
        return self.start_tls or self.url is not None and self.url.lower().startswith("ldaps://")

    @property
    def group_roles(self) -> dict[Role, list[str]]:
        return {
            Role.ADMIN: self.admin_groups,
            Role.OPERATOR: self.operator_groups,
            Role.VIEWER: self.viewer_groups,
        }

    @field_validator("admin_groups", "operator_groups", "viewer_groups", mode="before")
    @classmethod
    def _split_groups(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        if value.lstrip().startswith("["):
            return json.loads(value)
        return [group.strip() for group in value.split(";") if group.strip()]

    @model_validator(mode="after")
    def _refuse_an_unusable_setup(self) -> "LdapSettings":
        if self.enabled:
            problems = self._problems()
            if problems:
                raise ValueError("; ".join(problems))
        return self

    def _problems(self) -> list[str]:
        problems = []
        url = self.url or ""
        scheme = url.split("://", 1)[0].lower() if "://" in url else ""
        if scheme not in ("ldap", "ldaps"):
            problems.append("NETRAVEN_LDAP_URL must start with ldap:// or ldaps://")
        if scheme == "ldaps" and self.start_tls:
            problems.append("NETRAVEN_LDAP_START_TLS is for ldap:// URLs; ldaps:// is TLS already")
        if not self.uses_tls and not self.allow_plaintext:
            problems.append(
                "use ldaps:// or NETRAVEN_LDAP_START_TLS=true: plain LDAP sends passwords in the "
                "clear (NETRAVEN_LDAP_ALLOW_PLAINTEXT=true if you really mean it)"
            )
        if (self.user_dn_template is None) == (self.user_search_base is None):
            problems.append(
                "set NETRAVEN_LDAP_USER_DN_TEMPLATE (direct bind) or "
                "NETRAVEN_LDAP_USER_SEARCH_BASE (search, then bind), exactly one"
            )
        if self.user_dn_template is not None and "{username}" not in self.user_dn_template:
            problems.append("NETRAVEN_LDAP_USER_DN_TEMPLATE must contain {username}")
        if self.user_search_base is not None and "{username}" not in self.user_filter:
            problems.append("NETRAVEN_LDAP_USER_FILTER must contain {username}")
        # A DN with no password would be an "unauthenticated bind": anonymous, whatever the DN says.
        if (self.bind_dn is None) != (self.bind_password is None):
            problems.append(
                "set NETRAVEN_LDAP_BIND_DN and NETRAVEN_LDAP_BIND_PASSWORD together (neither: "
                "anonymous search)"
            )
        if self.group_search_base is None and self.member_of_attribute is None:
            problems.append(
                "set NETRAVEN_LDAP_GROUP_SEARCH_BASE or NETRAVEN_LDAP_MEMBER_OF_ATTRIBUTE: groups "
                "decide the role"
            )
        if not (self.admin_groups or self.operator_groups or self.viewer_groups):
            problems.append(
                "map at least one group to a role (NETRAVEN_LDAP_ADMIN_GROUPS, _OPERATOR_GROUPS, "
                "_VIEWER_GROUPS)"
            )
        return problems
