"""What a backup reads from PostgreSQL before any session: the device, the logins to try, the
operators' config filters that apply to it, and its jump host with the bastion's login.

Most of the time a backup's share of one query: the devices of backups that start together are
read in one statement (`DeviceBatch`), and logins and filters come from short-lived caches
(`LoginCache`, `FilterCache`). What a cache lacks, and a jump host's login, is read on a
connection of the backup's own. While PostgreSQL is unreachable the caller retries the read,
holding the message in progress: a nak would spend one of its few deliveries.
"""

from collections.abc import Awaitable, Callable
from typing import NamedTuple, Protocol, TypeVar

from netraven_shared.crypto import CredentialCipher, MissingCredentialKey
from netraven_shared.drivers.spec import OperatorFilter
from netraven_shared.events import JobDispatched, SiteJobDispatched
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from netraven_worker.collection import Login
from netraven_worker.config import WorkerSettings
from netraven_worker.device_batch import DeviceBatch
from netraven_worker.filters import FilterCache, enabled_filters, filters_for
from netraven_worker.inventory import BackupDevice
from netraven_worker.jump_host import JumpHost
from netraven_worker.logins import LoginCache, jump_host_login, logins_for

# A central worker's dispatch, or a remote site's sealed one (sealed_read.py).
Dispatch = JobDispatched | SiteJobDispatched
T = TypeVar("T")


class DeviceRead(NamedTuple):
    device: BackupDevice | None
    # the logins to try, or why they cannot be decrypted (the key ring lacks a key)
    logins: list[Login] | MissingCredentialKey
    filters: tuple[OperatorFilter, ...] = ()
    jump_host: JumpHost | None = None


class DeviceReader(Protocol):
    async def read(self, request: Dispatch) -> DeviceRead: ...


class BackupReader:
    """The central workers' reader: PostgreSQL, with the credential key ring."""

    def __init__(
        self, engine: AsyncEngine, cipher: CredentialCipher, settings: WorkerSettings
    ) -> None:
        self._engine = engine
        self._cipher = cipher
        self._devices = DeviceBatch(engine)
        self._logins = LoginCache(settings.credential_cache_seconds)
        self._filters = FilterCache(settings.config_filter_cache_seconds)

    async def read(self, request: Dispatch) -> DeviceRead:
        device = await self._devices.device(request.device_id, request.run_id)
        if device is None or device.settled:
            return DeviceRead(device, [])
        every = await self._filters.filters(lambda: self._on_a_connection(enabled_filters))
        filters = filters_for(every, device.device_type, device.tag_ids)
        try:
            logins = await self._logins.logins(
                device.tag_ids,
                lambda: self._on_a_connection(
                    lambda connection: logins_for(connection, device.tag_ids, self._cipher)
                ),
            )
            bastion = device.jump_host
            if bastion is None:
                return DeviceRead(device, logins, filters)
            login = await self._on_a_connection(
                lambda connection: jump_host_login(connection, bastion.credential_id, self._cipher)
            )
            jump_host = JumpHost(
                bastion.name, bastion.address, bastion.port, bastion.pinned_host_key, login
            )
            return DeviceRead(device, logins, filters, jump_host)
        except MissingCredentialKey as error:
            return DeviceRead(device, error, filters)

    async def _on_a_connection(self, read: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        async with self._engine.connect() as connection:
            return await read(connection)


def database_reader(
    engine: AsyncEngine | None, cipher: CredentialCipher | None, settings: WorkerSettings
) -> DeviceReader:
    """PostgreSQL read with the key ring: the central workers' reader."""
    if engine is None or cipher is None:
        raise ValueError("a backup reads PostgreSQL with the key ring, or is given a reader")
    return BackupReader(engine, cipher, settings)
