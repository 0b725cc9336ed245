"""How a device's config is read: the driver's `input` chooses the collector.

`cli` is the Netmiko session (session.py); `panos_xml_api` PAN-OS's XML API over HTTPS
(http_api.py); `netconf` a NETCONF <get-config> over SSH (netconf.py). Every collector keeps the
same contract: logins tried in the plan's order, the device's identity (SSH host key, TLS
certificate key) checked before any credential is sent, and a `Collected` or one of the failures
of collection.py (`PermanentFailure`, `DeviceUnreachable`) at the end.
"""

from netraven_shared.drivers.spec import Input

from netraven_worker.collection import Collect, Collected, Login, PermanentFailure, Target
from netraven_worker.inputs.http_api import collect_panos_config
from netraven_worker.inputs.netconf import collect_netconf_config
from netraven_worker.session import collect_config
from netraven_worker.timeouts import Timeouts

COLLECTORS: dict[Input, Collect] = {
    "cli": collect_config,
    "panos_xml_api": collect_panos_config,
    "netconf": collect_netconf_config,
}


def collect_by_input(target: Target, logins: list[Login], timeouts: Timeouts) -> Collected:
    if target.jump_host is not None and target.spec.input != "cli":
        raise PermanentFailure(
            f"{target.hostname}: jump hosts carry CLI sessions only, and the "
            f"{target.spec.platform} platform reads its config with {target.spec.input}: "
            "reach the device directly or pick a CLI platform",
            [],
        )
    if target.spec.input != "cli":
        # Only the CLI session offers a credential's private key: the other inputs log in with a
        # password, and a key-only credential is not sent to them at all.
        logins = [login for login in logins if login.password is not None]
    return COLLECTORS[target.spec.input](target, logins, timeouts)
