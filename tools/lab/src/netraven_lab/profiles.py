"""What one simulated device is, and a ready-made set of them for tests and the demo lab."""

from dataclasses import dataclass

from netraven_lab.config_text import generate_config


@dataclass(frozen=True)
class DeviceProfile:
    hostname: str
    port: int  # 0 lets the lab pick a free port
    username: str
    password: str
    enable_secret: str
    config_text: str
    delay: float = 0.0  # seconds the device thinks before answering a command
    legacy_ssh: bool = (
        False  # offers only SHA-1 key exchange, ssh-rsa host keys and CBC ciphers, like old gear
    )
    hangs_after_login: bool = (
        False  # accepts the login and opens the shell, then never prints a thing
    )
    hangs_on: str | None = (
        None  # answers normally until this command line is typed, then never again
    )
    telnet: bool = False  # serves Telnet (Username:/Password: prompts) instead of SSH
    # Public keys (`<type> <base64> [comment]`, as in authorized_keys) that log in as `username`.
    authorized_keys: tuple[str, ...] = ()
    accepts_passwords: bool = True  # False: a key-only device, that offers no password login


def lab_hostname(number: int, count: int) -> str:
    width = max(2, len(str(count)))
    return f"lab-rtr-{number:0{width}d}"


def make_lab_profiles(
    count: int,
    base_port: int = 0,
    username: str = "netraven",
    password: str = "netraven",
    enable_secret: str = "netraven-enable",
    config_bytes: int = 2048,
    delay: float = 0.0,
    authorized_keys: tuple[str, ...] = (),
    accepts_passwords: bool = True,
) -> list[DeviceProfile]:
    """Devices lab-rtr-01..NN on consecutive ports from base_port (all 0 when base_port is 0)."""
    profiles = []
    for index in range(count):
        hostname = lab_hostname(index + 1, count)
        profiles.append(
            DeviceProfile(
                hostname=hostname,
                port=base_port + index if base_port else 0,
                username=username,
                password=password,
                enable_secret=enable_secret,
                config_text=generate_config(hostname, config_bytes),
                delay=delay,
                authorized_keys=authorized_keys,
                accepts_passwords=accepts_passwords,
            )
        )
    return profiles
