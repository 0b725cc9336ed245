"""List the platforms, built-in and local: `python -m netraven_shared.drivers`."""

import os
from pathlib import Path

from netraven_shared.drivers.catalog import DriverCatalog

# The variable alone: the services' settings would also demand the bus's credentials.
drivers_dir = os.environ.get("NETRAVEN_DRIVERS_DIR")
catalog = DriverCatalog.load(Path(drivers_dir) if drivers_dir else None)
for platform in catalog.platforms():
    spec = platform.spec
    print(f"{spec.platform:24} {platform.source:9} netmiko device_type {spec.netmiko_device_type}")
for error in catalog.errors:
    print(f"error: {error}")
