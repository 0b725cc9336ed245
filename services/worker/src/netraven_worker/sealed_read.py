"""A remote site's collector reads nothing from PostgreSQL: each `SiteJobDispatched` carries its
`SiteRequest` sealed to the site's key (netraven_shared.site_seal). `SealedReader` opens it and
builds the same `DeviceRead` that `BackupReader` reads from the database, so the backup walks
the same steps.

A request this site's key does not open, or whose sealed run and device are not the envelope's,
is `Rejected` (recorded, terminated): it was sealed for another site or tampered with.

What a collector cannot see, having no database: whether the device's result in the run is
settled already (an operator cancelled it, or another delivery finished it). It backs the device
up anyway; the api's run recorder keeps a settled result as it is.
"""

from nacl.public import PrivateKey
from netraven_shared.crypto import MissingCredentialKey
from netraven_shared.db.models import ResultStatus
from netraven_shared.drivers.spec import OperatorFilter
from netraven_shared.events.site_dispatch import (
    SealedJumpHost,
    SealedLogin,
    SiteJobDispatched,
    SiteRequest,
)
from netraven_shared.rejection import Rejected
from netraven_shared.site_seal import CannotOpen, open_sealed

from netraven_worker.backup_read import DeviceRead, Dispatch
from netraven_worker.collection import Login
from netraven_worker.inventory import BackupDevice, JumpHostRow
from netraven_worker.jump_host import JumpHost
from netraven_worker.login_key import login_key


class SealedReader:
    def __init__(self, site: str, private_key: PrivateKey) -> None:
        self._site = site
        self._private_key = private_key

    async def read(self, request: Dispatch) -> DeviceRead:
        opened = self.opened(request)
        device = _device(opened)
        if opened.unreadable_credentials is not None:
            return DeviceRead(device, MissingCredentialKey(opened.unreadable_credentials))
        filters = tuple(
            OperatorFilter.stored(f.name, f.version, f.redactions, f.noise) for f in opened.filters
        )
        logins = [_login(each) for each in opened.logins]
        bastion = opened.jump_host
        if bastion is None or not bastion.login.username:
            return DeviceRead(device, logins, filters)
        jump_host = JumpHost(
            bastion.name,
            bastion.address,
            bastion.port,
            bastion.pinned_host_key,
            _login(bastion.login),
        )
        return DeviceRead(device, logins, filters, jump_host)

    def opened(self, request: Dispatch) -> SiteRequest:
        if not isinstance(request, SiteJobDispatched) or request.site != self._site:
            raise Rejected(f"this collector serves site {self._site} only")
        try:
            opened = open_sealed(request.sealed, self._private_key)
        except CannotOpen as error:
            raise Rejected(f"site {self._site}: {error}") from None
        if (opened.run_id, opened.device_id) != (request.run_id, request.device_id):
            raise Rejected(
                f"site {self._site}: the sealed request names run {opened.run_id} and device "
                f"{opened.device_id}, not the dispatch's"
            )
        return opened


def _device(opened: SiteRequest) -> BackupDevice:
    bastion: SealedJumpHost | None = opened.jump_host
    return BackupDevice(
        id=opened.device_id,
        hostname=opened.hostname,
        ip_address=opened.address,
        device_type=opened.device_type,
        port=opened.port,
        timeout_seconds=opened.timeout_seconds,
        legacy_ssh=opened.legacy_ssh,
        tag_ids=frozenset(),
        last_config_bytes=opened.last_config_bytes,
        result_status=ResultStatus.QUEUED,  # unknown here: see the module's docstring
        pinned_host_key=opened.pinned_host_key,
        bound_credential_id=opened.bound_credential_id,
        management_networks=tuple(opened.management_networks),
        transport=opened.transport,
        jump_host=JumpHostRow(
            bastion.name,
            bastion.address,
            bastion.port,
            bastion.pinned_host_key,
            bastion.login.credential_id,
        )
        if bastion is not None
        else None,
    )


def _login(sealed: SealedLogin) -> Login:
    key = sealed.private_key
    return Login(
        credential_id=sealed.credential_id,
        name=sealed.name,
        username=sealed.username,
        password=sealed.password,
        enable_secret=sealed.enable_secret,
        private_key=login_key(key, sealed.private_key_passphrase) if key else None,
    )
