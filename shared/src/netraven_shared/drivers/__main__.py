"""List the supported platforms: `python -m netraven_shared.drivers`."""

from netraven_shared.drivers.registry import DRIVERS

for platform, spec in sorted(DRIVERS.items()):
    print(f"{platform:20} netmiko device_type {spec.netmiko_device_type}")
