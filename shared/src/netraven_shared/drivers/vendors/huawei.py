"""Huawei VRP: `display current-configuration`; a header with the time of the last change."""

from netraven_shared.drivers.spec import DriverSpec
from netraven_shared.drivers.vendors._vrp import VRP_FAMILY_REDACTIONS

HUAWEI = DriverSpec(
    platform="huawei",
    netmiko_device_type="huawei",
    config_commands=("display current-configuration",),
    noise=(
        r"^!Software Version .*$",
        r"^!Last configuration was (?:updated|saved) at .*$",
        r"^!Time: .*$",
    ),
    redactions=VRP_FAMILY_REDACTIONS,
)
