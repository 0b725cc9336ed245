"""Simulated Cisco IOS devices over SSH, for tests, the demo lab and benchmarks; and simulated API
endpoints for the non-CLI inputs (a PAN-OS XML API over HTTPS, a Junos NETCONF server)."""

from netraven_lab.config_text import generate_config
from netraven_lab.host_key import load_or_create_host_key
from netraven_lab.lab import Lab
from netraven_lab.netconf_server import NetconfDevice
from netraven_lab.panos_api import PanosApi
from netraven_lab.profiles import DeviceProfile, make_lab_profiles

__all__ = [
    "DeviceProfile",
    "Lab",
    "NetconfDevice",
    "PanosApi",
    "generate_config",
    "load_or_create_host_key",
    "make_lab_profiles",
]
