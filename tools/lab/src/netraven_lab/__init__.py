"""Simulated Cisco IOS devices over SSH (or Telnet), and an SSH jump host in front of them, for
tests, the demo lab and benchmarks."""

from netraven_lab.bastion import LabBastion
from netraven_lab.config_text import generate_config
from netraven_lab.host_key import load_or_create_host_key
from netraven_lab.lab import Lab
from netraven_lab.profiles import DeviceProfile, make_lab_profiles

__all__ = [
    "DeviceProfile",
    "Lab",
    "LabBastion",
    "generate_config",
    "load_or_create_host_key",
    "make_lab_profiles",
]
