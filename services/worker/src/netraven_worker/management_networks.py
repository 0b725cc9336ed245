"""Management networks: the address ranges devices may live in (table `management_networks`, the api's).

When any is defined, a device whose address falls in none gets no connection at all: no session, so
no credential, and no reachability probe. An address someone slipped into the inventory cannot make
the worker hand out passwords. No network defined means no restriction.
"""

from collections.abc import Sequence
from ipaddress import ip_address, ip_network

NAMED_IN_A_MESSAGE = 5


def outside_management_networks(address: str, networks: Sequence[str]) -> str | None:
    """Why `address` gets no connection, or None when it may have one."""
    if not networks:
        return None
    try:
        address_in = ip_address(address)
    except ValueError:
        address_in = None
    if address_in is not None and any(address_in in ip_network(network) for network in networks):
        return None
    named = ", ".join(networks[:NAMED_IN_A_MESSAGE]) + (", …" if len(networks) > NAMED_IN_A_MESSAGE else "")
    return f"{address} is outside the management networks ({named})"
