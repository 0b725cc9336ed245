from netraven_worker.drivers.spec import DriverSpec
from netraven_worker.drivers.vendors.cisco_ios import CISCO_IOS

DRIVERS: dict[str, DriverSpec] = {spec.platform: spec for spec in (CISCO_IOS,)}


class UnknownPlatform(LookupError):
    pass


def driver_for(device_type: str) -> DriverSpec:
    try:
        return DRIVERS[device_type]
    except KeyError:
        supported = ", ".join(sorted(DRIVERS))
        raise UnknownPlatform(f"no driver for device_type '{device_type}' (supported: {supported})") from None
