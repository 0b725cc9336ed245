"""The logins a backup may send, decrypted (a private key read once into the key paramiko signs
with), and the bastion's login for a device behind a jump host.

`LoginCache` keeps a tag set's logins a few seconds: a run backs up many devices sharing the same
tags, and without it every backup read and decrypted the same credentials again. An entry lives
`NETRAVEN_CREDENTIAL_CACHE_SECONDS` (5 s; 0 turns the cache off), so a credential added, changed or
deleted in the api is used by every worker within that time. The plaintext stays in this process's
memory only, like the login it feeds.
"""

import time
from collections.abc import Awaitable, Callable
from uuid import UUID

from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.models import Credential, Tag
from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncConnection

from netraven_worker.collection import Login
from netraven_worker.login_key import login_key

_LOGIN_COLUMNS = select(
    Credential.id,
    Credential.name,
    Credential.username,
    Credential.password_encrypted,
    Credential.enable_secret_encrypted,
    Credential.private_key_encrypted,
    Credential.private_key_passphrase_encrypted,
    Credential.key_id,
)


async def logins_for(
    connection: AsyncConnection, tag_ids: frozenset[UUID], cipher: CredentialCipher
) -> list[Login]:
    """Credentials sharing a tag with the device: lowest priority number first, then the
    ones that have worked most often."""
    rows = await connection.execute(
        _LOGIN_COLUMNS.where(Credential.tags.any(Tag.id.in_(tag_ids))).order_by(
            Credential.priority, Credential.success_count.desc(), Credential.name
        )
    )
    return [_login(row, cipher) for row in rows]


def _login(row: Row, cipher: CredentialCipher) -> Login:
    def decrypted(token: bytes | None) -> str | None:
        return cipher.decrypt(token, key_id=row.key_id, credential=row.name) if token else None

    private_key = decrypted(row.private_key_encrypted)
    passphrase = decrypted(row.private_key_passphrase_encrypted)
    return Login(
        credential_id=row.id,
        name=row.name,
        username=row.username,
        password=decrypted(row.password_encrypted),
        enable_secret=decrypted(row.enable_secret_encrypted),
        private_key=login_key(private_key, passphrase) if private_key else None,
    )


async def jump_host_login(
    connection: AsyncConnection, credential_id: UUID, cipher: CredentialCipher
) -> Login:
    """The credential a jump host logs in with, decrypted (the api keeps it from being deleted
    while a jump host uses it)."""
    row = (await connection.execute(_LOGIN_COLUMNS.where(Credential.id == credential_id))).one()
    return _login(row, cipher)


MAX_TAG_SETS = 1024


class LoginCache:
    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[frozenset[UUID], tuple[float, list[Login]]] = {}

    async def logins(
        self, tag_ids: frozenset[UUID], load: Callable[[], Awaitable[list[Login]]]
    ) -> list[Login]:
        now = self._clock()
        cached = self._entries.get(tag_ids)
        if cached is not None and cached[0] > now:
            return cached[1]
        logins = await load()
        if self._ttl > 0:
            self._forget_expired(now)
            self._entries.pop(tag_ids, None)
            self._entries[tag_ids] = (now + self._ttl, logins)
        return logins

    def _forget_expired(self, now: float) -> None:
        for tag_ids in [key for key, (expires, _) in self._entries.items() if expires <= now]:
            del self._entries[tag_ids]
        while len(self._entries) >= MAX_TAG_SETS:
            del self._entries[next(iter(self._entries))]
