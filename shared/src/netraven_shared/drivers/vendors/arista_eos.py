"""Arista EOS: the Cisco-like default (its rules cover `secret sha512`); a header of its own."""

from dataclasses import replace

from netraven_shared.drivers.vendors.cisco_ios import CISCO_IOS

ARISTA_EOS = replace(
    CISCO_IOS,
    platform="arista_eos",
    netmiko_device_type="arista_eos",
    noise=(
        r"^! Startup-config last modified at .*$",
        r"^! Time: .*$",
    ),
)
