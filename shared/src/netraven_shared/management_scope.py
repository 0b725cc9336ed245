"""The management networks rule (table `management_networks`, the api's): when any is defined, a
device whose address (for a DNS name, the address it resolved to) falls in none gets no
connection, so no credential. Checked by the worker before a session, and by the api before it
seals a remote site's logins."""

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
    shown = networks[:NAMED_IN_A_MESSAGE]
    named = ", ".join(shown) + (", …" if len(networks) > NAMED_IN_A_MESSAGE else "")
    return f"{address} is outside the management networks ({named})"
