"""Simulated Cisco IOS devices over SSH, for tests, the demo lab and benchmarks."""

from netraven_lab.config_text import generate_config
from netraven_lab.host_key import load_or_create_host_key
from netraven_lab.lab import Lab
from netraven_lab.profiles import DeviceProfile, make_lab_profiles

__all__ = [
    "DeviceProfile",
    "Lab",
    "generate_config",
    "load_or_create_host_key",
    "make_lab_profiles",
]
