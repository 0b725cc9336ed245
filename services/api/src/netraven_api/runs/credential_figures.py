"""Keep each credential's success and failure figures true, from what the workers report.

Counted once per device and run: a success when the result first learns which credential
worked, failures when that happens or when the result fails. Redelivered events change nothing.
Only credentials sharing a tag with the device move (the only ones a worker tries on it), so an
event cannot count against a credential the database says was never tried.

A recorder batch reads which credential may log in to which device once (`CredentialFigures.read`),
counts in memory, and writes on the way out: one statement per credential for its figures (instead
of two per backup on the same few credential rows) and one for every device's bound credential,
which rewrites only the devices whose bound credential changed.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from netraven_shared.db.base import utc_now
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Which (device, credential) pairs share a tag: the credential may log in there.
_USABLE = text(
    "SELECT t.device_id, t.credential_id"
    " FROM unnest(CAST(:device_ids AS uuid[]), CAST(:credential_ids AS uuid[]))"
    " AS t(device_id, credential_id)"
    " WHERE EXISTS (SELECT 1 FROM device_tags AS d"
    " JOIN credential_tags AS c ON c.tag_id = d.tag_id"
    " WHERE d.device_id = t.device_id AND c.credential_id = t.credential_id)"
)
_ADD_FIGURES = text(
    "UPDATE credentials SET success_count = success_count + :successes,"
    " failure_count = failure_count + :failures,"
    " last_success_at = CASE WHEN :successes > 0 THEN :at ELSE last_success_at END"
    " WHERE id = :credential_id"
)
_BIND = text(
    "UPDATE devices AS d SET bound_credential_id = b.credential_id"
    " FROM unnest(CAST(:device_ids AS uuid[]), CAST(:credential_ids AS uuid[]))"
    " AS b(device_id, credential_id)"
    " WHERE d.id = b.device_id AND d.bound_credential_id IS DISTINCT FROM b.credential_id"
)


@dataclass
class CredentialFigures:
    usable: set[tuple[UUID, UUID]]  # (device, credential)
    successes: Counter[UUID] = field(default_factory=Counter)
    failures: Counter[UUID] = field(default_factory=Counter)
    bound: dict[UUID, UUID] = field(default_factory=dict)  # device -> credential

    @classmethod
    async def read(
        cls, session: AsyncSession, tried: Iterable[tuple[UUID, UUID]]
    ) -> "CredentialFigures":
        """For a batch naming the (device, credential) pairs `tried`."""
        pairs = set(tried)
        if not pairs:
            return cls(set())
        rows = await session.execute(
            _USABLE,
            {
                "device_ids": [device for device, _ in pairs],
                "credential_ids": [credential for _, credential in pairs],
            },
        )
        return cls({(row.device_id, row.credential_id) for row in rows})

    def count_success(self, device_id: UUID, credential_id: UUID, refused: list[UUID]) -> bool:
        """Count a login that worked (and the credentials refused before it); False when the
        device may not use that credential, and nothing is counted."""
        if (device_id, credential_id) not in self.usable:
            return False
        self.successes[credential_id] += 1
        self.count_failures(device_id, refused)
        return True

    def count_failures(self, device_id: UUID, refused: list[UUID]) -> None:
        self.failures.update(c for c in refused if (device_id, c) in self.usable)

    def bind(self, device_id: UUID, credential_id: UUID) -> None:
        """The credential that last logged in to the device: the worker tries it first next time."""
        self.bound[device_id] = credential_id

    async def write(self, session: AsyncSession) -> None:
        """Credential rows in id order, so two writers never wait on each other crosswise."""
        at = utc_now()
        for credential_id in sorted(self.successes.keys() | self.failures.keys()):
            figures = {
                "successes": self.successes[credential_id],
                "failures": self.failures[credential_id],
            }
            await session.execute(
                _ADD_FIGURES, {"credential_id": credential_id, "at": at, **figures}
            )
        if self.bound:
            bound = sorted(self.bound.items())
            await session.execute(
                _BIND,
                {
                    "device_ids": [device for device, _ in bound],
                    "credential_ids": [credential for _, credential in bound],
                },
            )
