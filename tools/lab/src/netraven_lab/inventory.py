"""The inventory file that tells the rest of NetRaven where the lab devices are."""

import json
import os
from pathlib import Path

from netraven_lab.profiles import DeviceProfile


def inventory_entries(profiles: list[DeviceProfile], address: str) -> list[dict[str, object]]:
    return [
        {
            "hostname": profile.hostname,
            "ip_address": address,
            "port": profile.port,
            "device_type": "cisco_ios",
            "username": profile.username,
            "password": profile.password,
            "enable_secret": profile.enable_secret,
        }
        for profile in profiles
    ]


def write_inventory(path: Path, profiles: list[DeviceProfile], address: str) -> None:
    """Written whole or not at all, so a reader polling for the file never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(inventory_entries(profiles, address), indent=2) + "\n")
    os.replace(partial, path)
