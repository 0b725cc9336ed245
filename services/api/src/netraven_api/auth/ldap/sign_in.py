"""Signing in with a username and password that the LDAP directory vouches for."""

from typing import Annotated

import structlog
from fastapi import Depends, Request
from netraven_shared.db.models import AuthSource, User
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.auth.directory_users import sign_in_directory_user
from netraven_api.auth.ldap.directory import authenticate
from netraven_api.auth.ldap.settings import LdapSettings

log = structlog.get_logger()


def _ldap_settings(request: Request) -> LdapSettings:
    return request.app.state.settings.ldap


LdapSettingsDep = Annotated[LdapSettings, Depends(_ldap_settings)]


async def sign_in_with_ldap(
    session: AsyncSession, settings: LdapSettings, username: str, password: str
) -> User | None:
    """The NetRaven account of the directory user these credentials prove, created or brought in
    line with their groups (flushed); None when the directory refuses them. Raises when the password
    is right but NetRaven refuses the user (no mapped group, disabled here)."""
    account = await authenticate(settings, username, password)
    if account is None:
        return None
    user = await sign_in_directory_user(
        session,
        AuthSource.LDAP,
        account.external_id,
        account.username,
        account.groups,
        settings.group_roles,
    )
    log.info("auth.ldap.signed_in", username=user.username, role=user.role)
    return user
