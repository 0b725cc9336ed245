"""A Linux host: its network configuration files, each headed by `==> path <==`."""

from netraven_shared.drivers.spec import DriverSpec, Redaction

LINUX = DriverSpec(
    platform="linux",
    netmiko_device_type="linux",
    config_commands=(
        "tail -n +1 /etc/hostname /etc/hosts /etc/network/interfaces /etc/netplan/*.yaml",
    ),
    redactions=(
        Redaction(r"^(\s*wpa-(?:psk|passphrase|password)) .+"),  # ifupdown
        Redaction(r"^(\s*(?:password|psk|private|shared):) .+"),  # netplan wifi and wireguard
    ),
)
