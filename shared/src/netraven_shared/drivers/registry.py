from netraven_shared.drivers.spec import DriverSpec
from netraven_shared.drivers.vendors.arista_eos import ARISTA_EOS
from netraven_shared.drivers.vendors.cisco_asa import CISCO_ASA
from netraven_shared.drivers.vendors.cisco_ios import CISCO_IOS
from netraven_shared.drivers.vendors.cisco_nxos import CISCO_NXOS
from netraven_shared.drivers.vendors.cisco_xe import CISCO_XE
from netraven_shared.drivers.vendors.cisco_xr import CISCO_XR
from netraven_shared.drivers.vendors.dell_os10 import DELL_OS10
from netraven_shared.drivers.vendors.fortinet import FORTINET
from netraven_shared.drivers.vendors.hp_comware import HP_COMWARE
from netraven_shared.drivers.vendors.hp_procurve import HP_PROCURVE
from netraven_shared.drivers.vendors.huawei import HUAWEI
from netraven_shared.drivers.vendors.juniper_junos import JUNIPER_JUNOS
from netraven_shared.drivers.vendors.linux import LINUX
from netraven_shared.drivers.vendors.mikrotik_routeros import MIKROTIK_ROUTEROS
from netraven_shared.drivers.vendors.paloalto_panos import PALOALTO_PANOS

DRIVERS: dict[str, DriverSpec] = {
    spec.platform: spec
    for spec in (
        ARISTA_EOS,
        CISCO_ASA,
        CISCO_IOS,
        CISCO_NXOS,
        CISCO_XE,
        CISCO_XR,
        DELL_OS10,
        FORTINET,
        HP_COMWARE,
        HP_PROCURVE,
        HUAWEI,
        JUNIPER_JUNOS,
        LINUX,
        MIKROTIK_ROUTEROS,
        PALOALTO_PANOS,
    )
}


class UnknownPlatform(LookupError):
    pass


def driver_for(device_type: str) -> DriverSpec:
    try:
        return DRIVERS[device_type]
    except KeyError:
        supported = ", ".join(sorted(DRIVERS))
        raise UnknownPlatform(
            f"no driver for device_type '{device_type}' (supported: {supported})"
        ) from None
