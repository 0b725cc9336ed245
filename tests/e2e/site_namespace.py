"""A network namespace standing for a remote site: one veth pair to the test host and nothing else.
Inside it, `nats` resolves to the host's end of the veth (`ip netns exec` mounts
/etc/netns/<name>/hosts over /etc/hosts), so the bus certificate's name still matches."""

import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST_ADDRESS, SITE_ADDRESS = "10.203.7.1", "10.203.7.2"


@dataclass(frozen=True)
class SiteNamespace:
    name: str

    def command(self, *argv: str) -> list[str]:
        return ["ip", "netns", "exec", self.name, *argv]


def _ip(*argv: str) -> None:
    subprocess.run(["ip", *argv], check=True, capture_output=True, timeout=10)


def namespaces_unavailable() -> str | None:
    """Why this host cannot make a namespace (not root, no iproute2), or None."""
    if shutil.which("ip") is None:
        return "no `ip` command (iproute2)"
    probe = f"nr-probe-{secrets.token_hex(3)}"
    try:
        _ip("netns", "add", probe)
    except (subprocess.CalledProcessError, OSError) as error:
        return f"cannot create a network namespace ({error})"
    _ip("netns", "delete", probe)
    return None


@contextmanager
def site_namespace() -> Iterator[SiteNamespace]:
    tag = secrets.token_hex(3)
    namespace, host_end, site_end = f"nr-site-{tag}", f"nrh{tag}", f"nrs{tag}"
    hosts = Path("/etc/netns") / namespace / "hosts"
    _ip("netns", "add", namespace)
    try:
        _ip("link", "add", host_end, "type", "veth", "peer", "name", site_end)
        _ip("link", "set", site_end, "netns", namespace)
        _ip("addr", "add", f"{HOST_ADDRESS}/30", "dev", host_end)
        _ip("link", "set", host_end, "up")
        _ip("-n", namespace, "addr", "add", f"{SITE_ADDRESS}/30", "dev", site_end)
        _ip("-n", namespace, "link", "set", site_end, "up")
        _ip("-n", namespace, "link", "set", "lo", "up")
        hosts.parent.mkdir(parents=True, exist_ok=True)
        hosts.write_text(f"127.0.0.1 localhost\n{HOST_ADDRESS} nats\n")
        yield SiteNamespace(namespace)
    finally:
        subprocess.run(["ip", "link", "delete", host_end], check=False, capture_output=True)
        subprocess.run(["ip", "netns", "delete", namespace], check=False, capture_output=True)
        shutil.rmtree(hosts.parent, ignore_errors=True)
