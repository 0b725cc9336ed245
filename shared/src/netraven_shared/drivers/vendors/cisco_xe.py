"""IOS-XE prints its running config like IOS: the default declaration under its own name."""

from dataclasses import replace

from netraven_shared.drivers.vendors.cisco_ios import CISCO_IOS

CISCO_XE = replace(CISCO_IOS, platform="cisco_xe", netmiko_device_type="cisco_xe")
