"""The `credential-keys` command on a database of its own: `status` counts the credentials on each
key and fails while a used key is missing, `rotate` reseals them; neither prints a secret. `new`
prints an entry for the ring."""

import os
import subprocess
import sys

from netraven_shared.credential_keys import KeyRing
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.key_ring import K1, K2, add, cipher


class TestCommand:
    def credential_keys(
        self, database_url: str, ring: str, *arguments: str
    ) -> subprocess.CompletedProcess:
        env = os.environ | {
            "NETRAVEN_MODE": "development",
            "NETRAVEN_DATABASE_URL": database_url,
            "NETRAVEN_CREDENTIAL_KEYS": ring,
        }
        return subprocess.run(
            [sys.executable, "-m", "netraven_api", "credential-keys", *arguments],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    async def test_status_and_rotate_print_counts_never_secrets(
        self, key_ring_sessions: async_sessionmaker[AsyncSession], key_ring_database_url: str
    ) -> None:
        await add(key_ring_sessions, "core", cipher(K1))
        ring = f"{K2},{K1}"
        before = self.credential_keys(key_ring_database_url, ring, "status")
        assert before.returncode == 0, before.stderr
        assert [line.split()[:2] for line in before.stdout.splitlines()[1:]] == [
            ["k2", "0"],
            ["k1", "1"],
        ]
        rotation = self.credential_keys(key_ring_database_url, ring, "rotate")
        assert rotation.stdout.strip() == "rotated 1 credentials to key k2; 0 were on it already"
        after = self.credential_keys(key_ring_database_url, ring, "status")
        assert [line.split()[:2] for line in after.stdout.splitlines()[1:]] == [
            ["k2", "1"],
            ["k1", "0"],
        ]
        assert "can be removed from the ring" in after.stdout
        for output in (before, rotation, after):
            shown = output.stdout + output.stderr
            assert not any(
                secret in shown
                for secret in ("core-pw", "core-en", K1.split(":")[1], K2.split(":")[1])
            )

    async def test_status_fails_while_a_used_key_is_missing(
        self, key_ring_sessions: async_sessionmaker[AsyncSession], key_ring_database_url: str
    ) -> None:
        await add(key_ring_sessions, "core", cipher(K1))
        status = self.credential_keys(key_ring_database_url, K2, "status")
        assert status.returncode == 1
        assert "k1" in status.stdout and "MISSING from NETRAVEN_CREDENTIAL_KEYS" in status.stdout

    def test_new_prints_an_entry_for_the_ring(self) -> None:
        entry = subprocess.run(
            [sys.executable, "-m", "netraven_api", "credential-keys", "new", "k9"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert KeyRing.parse(entry.stdout, "stdout").ids == ["k9"]
