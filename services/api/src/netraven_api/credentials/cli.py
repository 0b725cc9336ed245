"""`python -m netraven_api credential-keys ...`: the operator's side of the credential key ring.

    new ID   print a ring entry `ID:<fresh key>` to put in front of NETRAVEN_CREDENTIAL_KEYS
    status   how many credentials, notification channels and inventory sources each key
             encrypts; exits 1 if one uses a key the ring lacks
    rotate   re-encrypt all of them with the primary key, in one transaction

Counts and key ids only: no secret and no key is ever printed, except the new one `new` makes.
"""

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from netraven_shared.credential_keys import KeyRingError, new_key_entry
from netraven_shared.crypto import CredentialCipher, MissingCredentialKey, credential_cipher
from netraven_shared.db.session import create_engine, session_factory
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.config import ApiSettings
from netraven_api.credentials.key_ring import KeyUsage, key_usage, rotate
from netraven_api.credentials.sealed_rows import SEALED_TABLES
from netraven_api.unit_of_work import unit_of_work


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    keys = commands.add_parser(
        "credential-keys", help="inspect and rotate the credential key ring (docs/secrets.md)"
    )
    actions = keys.add_subparsers(dest="action", required=True)
    new = actions.add_parser("new", help="print a new ring entry ID:<key>")
    new.add_argument("key_id", help="the new key's id, e.g. k2 or 2026-12")
    new.set_defaults(run=_new)
    actions.add_parser("status", help="credentials per key id").set_defaults(
        run=lambda _: asyncio.run(_status())
    )
    actions.add_parser(
        "rotate", help="re-encrypt every credential with the primary key"
    ).set_defaults(run=lambda _: asyncio.run(_rotate()))


def _new(arguments: argparse.Namespace) -> int:
    try:
        print(new_key_entry(arguments.key_id))
    except KeyRingError as error:
        print(f"netraven: {error}", file=sys.stderr)
        return 2
    return 0


@asynccontextmanager
async def _database() -> AsyncIterator[tuple[AsyncSession, CredentialCipher]]:
    """One unit of work on the api's database (committed when the block ends well), and the cipher
    of the api's ring."""
    settings = ApiSettings()
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with unit_of_work(session_factory(engine)) as work:
            yield work.session, credential_cipher(settings)
    finally:
        await engine.dispose()


async def _status() -> int:
    async with _database() as (session, cipher):
        usage = await key_usage(session, cipher)
    labels = [table.label for table in SEALED_TABLES]
    width = max(len("key id"), *(len(key.key_id) for key in usage))
    print(f"{'key id':<{width}}  " + "  ".join(labels))
    for key in usage:
        counts = "  ".join(f"{key.rows[label]:>{len(label)}}" for label in labels)
        print(f"{key.key_id:<{width}}  {counts}  {_meaning(key, cipher.ring.source)}")
    return 1 if any(not key.in_ring and key.used for key in usage) else 0


def _meaning(key: KeyUsage, source: str) -> str:
    if not key.in_ring:
        return f"MISSING from {source}: what it sealed cannot be decrypted"
    if key.primary:
        return "primary: encrypts new and rotated credentials"
    if key.used:
        return "decrypts only: run `credential-keys rotate` to move what it seals to the primary"
    return "decrypts only, encrypts nothing: it can be removed from the ring"


async def _rotate() -> int:
    try:
        async with _database() as (session, cipher):
            rotation = await rotate(session, cipher)
    except MissingCredentialKey as error:
        print(f"netraven: nothing rotated: {error}", file=sys.stderr)
        return 1
    for table in rotation:
        if table.label == "credentials" or table.rotated or table.already_on_primary:
            print(
                f"rotated {table.rotated} {table.label} to key {cipher.primary_key_id}; "
                f"{table.already_on_primary} were on it already"
            )
    return 0
