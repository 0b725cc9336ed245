"""A device's address: an IPv4 or IPv6 address, or a DNS name the worker resolves at each session
(docs/device-trust.md, "Devices given by DNS name").

Addresses are stored canonical (`2001:db8::1`, not `2001:0db8:0:0::1`) and names in lower case
without a trailing dot, so the same device is not entered twice under two spellings. A name is
RFC 1123: labels of letters, digits and inner hyphens, 63 characters at most, 253 in all; a
name whose last label is all digits is refused, since it is a mistyped IPv4 address.
"""

import ipaddress
import re
from typing import Annotated

from pydantic import AfterValidator, Field

NAME_MAX_CHARS = 253
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def is_ip_address(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def device_address(value: str) -> str:
    """`value` as stored, or ValueError saying what a valid address looks like."""
    text = value.strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    name = text.lower().removesuffix(".")
    labels = name.split(".")
    if (
        0 < len(name) <= NAME_MAX_CHARS
        and all(_LABEL.match(label) for label in labels)
        and not labels[-1].isdigit()
    ):
        return name
    raise ValueError(
        f"'{value}' is neither an IP address nor a DNS name: give an IPv4 or IPv6 address, or a "
        "host name of letters, digits, hyphens and dots (labels of 63 characters at most, 253 "
        "in all)"
    )


DeviceAddress = Annotated[
    str,
    Field(
        min_length=1,
        max_length=NAME_MAX_CHARS + 2,  # a trailing dot and a stray space are forgiven
        description="An IPv4 or IPv6 address, or a DNS name the worker resolves at each session",
        examples=["192.0.2.10", "core-sw-01.example.net"],
    ),
    AfterValidator(device_address),
]
