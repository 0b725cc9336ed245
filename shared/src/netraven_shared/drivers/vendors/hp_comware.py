"""HPE Comware (H3C): VRP-family syntax and secrets, `display current-configuration`."""

from netraven_shared.drivers.spec import DriverSpec
from netraven_shared.drivers.vendors._vrp import VRP_FAMILY_REDACTIONS

HP_COMWARE = DriverSpec(
    platform="hp_comware",
    netmiko_device_type="hp_comware",
    config_commands=("display current-configuration",),
    redactions=VRP_FAMILY_REDACTIONS,
)
