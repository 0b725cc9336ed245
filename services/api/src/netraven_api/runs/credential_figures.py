"""Keep each credential's success and failure figures true, from what the workers report.

Counted once per device and run: a success when the result first learns which credential
worked, failures when that happens or when the result fails. Redelivered events change nothing.
Only credentials sharing a tag with the device move (the only ones a worker tries on it), so an
event cannot count against a credential the database says was never tried.

A recorder batch reads which credential may log in to which device once (`CredentialFigures.read`),
counts in memory, and writes the figures and bound credentials on the way out, one statement per
credential, instead of two statements per backup on the same few credential rows.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from netraven_shared.db.base import utc_now
from sqlalchemy.ext.asyncio import AsyncSession

from netraven_api.credentials.repository import add_figures, usable_pairs
from netraven_api.devices.repository import bind_credential


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
        return cls(await usable_pairs(session, set(tried)))

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
            successes, failures = self.successes[credential_id], self.failures[credential_id]
            await add_figures(session, credential_id, successes, failures, at)
        devices_of: dict[UUID, list[UUID]] = {}
        for device_id, credential_id in self.bound.items():
            devices_of.setdefault(credential_id, []).append(device_id)
        for credential_id, device_ids in sorted(devices_of.items()):
            await bind_credential(session, device_ids, credential_id)
