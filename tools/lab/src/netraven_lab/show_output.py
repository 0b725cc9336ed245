"""What the show commands print, as IOS lays it out."""

import random


def running_config(config_text: str) -> str:
    """The config with IOS's preamble; it always ends in "end", as a device's does."""
    lines = config_text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines or lines[-1] != "end":
        lines.append("end")
    body = "\n".join(lines)
    size = len(body.encode()) + 1
    return f"Building configuration...\n\nCurrent configuration : {size} bytes\n{body}"


MODEL = "CISCO2911/K9"
IOS_VERSION = "15.7(3)M8"


def serial_number(hostname: str) -> str:
    """The chassis serial: the same for a hostname on every run, as a real box's."""
    return "FTX" + "".join(random.Random(hostname).choices("0123456789ABCDEF", k=8))


def version(hostname: str, uptime_seconds: float) -> str:
    serial = serial_number(hostname)
    return "\n".join(
        [
            (
                "Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), "
                f"Version {IOS_VERSION}, RELEASE SOFTWARE (fc3)"
            ),
            "Technical Support: http://www.cisco.com/techsupport",
            "Copyright (c) 1986-2021 by Cisco Systems, Inc.",
            "Compiled Fri 19-Feb-21 07:03 by prod_rel_team",
            "",
            "ROM: System Bootstrap, Version 15.0(1r)M16, RELEASE SOFTWARE (fc1)",
            "",
            f"{hostname} uptime is {uptime(uptime_seconds)}",
            "System returned to ROM by power-on",
            'System image file is "flash0:c2900-universalk9-mz.SPA.157-3.M8.bin"',
            "Last reload type: Normal Reload",
            "",
            f"Cisco {MODEL} (revision 1.0) with 479232K/45056K bytes of memory.",
            f"Processor board ID {serial}",
            "3 Gigabit Ethernet interfaces",
            "1 terminal line",
            "DRAM configuration is 64 bits wide with parity enabled.",
            "255K bytes of non-volatile configuration memory.",
            "250880K bytes of ATA System CompactFlash 0 (Read/Write)",
            "",
            "Configuration register is 0x2102",
        ]
    )


def inventory(hostname: str) -> str:
    """`show inventory` as an ISR G2 prints it: the chassis, then a module."""
    serial = serial_number(hostname)
    chassis = f"{MODEL} chassis"
    module = "PVDMII DSP SIMM with four DSPs"
    return "\n".join(
        [
            f'NAME: "{chassis}", DESCR: "{chassis}, Hw Serial#: {serial}, Hw Revision: 1.0"',
            f"PID: {MODEL}      , VID: V06 , SN: {serial}",
            "",
            f'NAME: "{module} on Slot 0 SubSlot 4", DESCR: "{module}"',
            "PID: PVDM2-64          , VID: V01 , SN: FOC12345ABC",
            "",
        ]
    )


def uptime(seconds: float) -> str:
    """IOS style: '2 weeks, 3 days, 1 hour, 0 minutes', leading zero units left out."""
    minutes = int(seconds) // 60
    units = [("year", 525600), ("week", 10080), ("day", 1440), ("hour", 60), ("minute", 1)]
    parts: list[str] = []
    for name, size in units:
        amount, minutes = divmod(minutes, size)
        if amount or parts or name == "minute":
            parts.append(f"{amount} {name}{'' if amount == 1 else 's'}")
    return ", ".join(parts)
