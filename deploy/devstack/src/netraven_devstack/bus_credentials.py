"""The secrets of the bus, generated once into one directory and reused on every start.

- `ca.pem` (+ `ca-key.pem`): a private certificate authority; clients verify the server with it.
- `server.pem` / `server-key.pem`: the NATS server's certificate (127.0.0.1, localhost, nats).
- `<identity>.nk`: each identity's nkey seed: whoever holds it connects as that identity.
- `jetstream.key`: the key JetStream encrypts its store with (chachapoly).

Files are mode 0600. `python -m netraven_devstack.bus_credentials DIR` writes the same files,
plus `nats-server.conf` (and, with `--cluster`, `nats-cluster.conf` for a cluster's nodes) and a
directory per identity holding only its seed and the CA, for containers and operators (see
docker-compose.yml).
"""

import argparse
import datetime
import ipaddress
import os
import re
import secrets
from pathlib import Path

import nkeys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID
from netraven_shared.bus_identities import IDENTITIES, SITE_IDENTITY_PREFIX
from netraven_shared.events.site_dispatch import SITE_NAME_PATTERN

from netraven_devstack.integrator_kit import IDENTITY as INTEGRATOR
from netraven_devstack.integrator_kit import integrator_readme
from netraven_devstack.nats_config import NatsListen, render_server_config
from netraven_devstack.nats_routes import render_routes

SERVER_NAMES = ("localhost", "nats")
SERVER_ADDRESSES = ("127.0.0.1",)
_VALID_FOR = datetime.timedelta(days=3650)


def site_names(listed: str) -> tuple[str, ...]:
    """The sites of a comma-separated list (`NETRAVEN_BUS_SITES`), each a valid site name."""
    names = tuple(name.strip() for name in listed.split(",") if name.strip())
    for name in names:
        if not re.fullmatch(SITE_NAME_PATTERN, name):
            raise ValueError(f"site name {name!r} does not match {SITE_NAME_PATTERN}")
    return names


def write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    path.chmod(0o600)


def new_nkey_seed() -> bytes:
    """A user nkey seed; nkeys.py only encodes seeds, so the ed25519 key comes from
    `cryptography`."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return nkeys.encode_seed(raw, nkeys.PREFIX_BYTE_USER)


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _ec_key(key: object) -> ec.EllipticCurvePrivateKey:
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError("the bus CA key is not an elliptic-curve key: remove it to make a new CA")
    return key


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: ec.EllipticCurvePrivateKey,
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + _VALID_FOR)
    )
    if issuer is None:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=0), critical=True
        ).add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
    else:
        names = [x509.DNSName(host) for host in SERVER_NAMES] + [
            x509.IPAddress(ipaddress.ip_address(a)) for a in SERVER_ADDRESSES
        ]
        builder = builder.add_extension(
            x509.SubjectAlternativeName(names), critical=False
        ).add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


class BusCredentials:
    """The bus secrets in `directory`, created on first use. `extra_identities` adds identities
    outside the matrix (the test suite's); `sites` adds one identity per remote site
    (`site-<name>`: bus_identities.site_identity)."""

    def __init__(
        self, directory: Path, extra_identities: tuple[str, ...] = (), sites: tuple[str, ...] = ()
    ) -> None:
        self.directory = directory.resolve()
        site_identities = tuple(f"{SITE_IDENTITY_PREFIX}{site}" for site in sites)
        self.identities = (*IDENTITIES, *site_identities, *extra_identities)
        self.ca = self.directory / "ca.pem"
        self.ca_key = self.directory / "ca-key.pem"
        self.server_cert = self.directory / "server.pem"
        self.server_key = self.directory / "server-key.pem"
        self.encryption_key_path = self.directory / "jetstream.key"

    def seed_path(self, identity: str) -> Path:
        return self.directory / f"{identity}.nk"

    def public_key(self, identity: str) -> str:
        return nkeys.from_seed(
            bytearray(self.seed_path(identity).read_bytes().strip())
        ).public_key.decode()

    @property
    def encryption_key(self) -> str:
        return self.encryption_key_path.read_text().strip()

    def ensure(self) -> "BusCredentials":
        self.directory.mkdir(parents=True, exist_ok=True)
        if not (self.ca.exists() and self.ca_key.exists()):
            ca_key = ec.generate_private_key(ec.SECP256R1())
            write_private(self.ca_key, _pem_key(ca_key))
            write_private(
                self.ca,
                _certificate("NetRaven bus CA", ca_key, None, ca_key).public_bytes(
                    serialization.Encoding.PEM
                ),
            )
            self.server_cert.unlink(missing_ok=True)
        if not (self.server_cert.exists() and self.server_key.exists()):
            ca_key = _ec_key(serialization.load_pem_private_key(self.ca_key.read_bytes(), None))
            ca = x509.load_pem_x509_certificate(self.ca.read_bytes())
            key = ec.generate_private_key(ec.SECP256R1())
            write_private(self.server_key, _pem_key(key))
            write_private(
                self.server_cert,
                _certificate("nats", key, ca, ca_key).public_bytes(serialization.Encoding.PEM),
            )
        for identity in self.identities:
            if not self.seed_path(identity).exists():
                write_private(self.seed_path(identity), new_nkey_seed() + b"\n")
        if not self.encryption_key_path.exists():
            write_private(self.encryption_key_path, secrets.token_urlsafe(32).encode() + b"\n")
        return self

    def env_for(self, identity: str) -> dict[str, str]:
        return {
            "NETRAVEN_NATS_NKEY": str(self.seed_path(identity)),
            "NETRAVEN_NATS_CA": str(self.ca),
        }


def write_kits(credentials: BusCredentials, kits: Path) -> None:
    """A directory per identity with only its seed and the CA: what a container mounts."""
    for identity in credentials.identities:
        kit = kits / identity
        kit.mkdir(parents=True, exist_ok=True)
        for source in (credentials.seed_path(identity), credentials.ca):
            write_private(kit / source.name, source.read_bytes())


def write_integrator_kit(credentials: BusCredentials, kit: Path, url: str) -> None:
    """The integrator's seed, the CA and the README, for another system to connect with."""
    for source in (credentials.seed_path(INTEGRATOR), credentials.ca):
        write_private(kit / source.name, source.read_bytes())
    (kit / "README.md").write_text(integrator_readme(url))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Write NetRaven's bus credentials and nats-server.conf into DIR."
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument(
        "--mounted-at", default=None, help="where the NATS server sees DIR (default: DIR itself)"
    )
    parser.add_argument(
        "--store-dir", default="/data/jetstream", help="the NATS server's JetStream directory"
    )
    parser.add_argument(
        "--cluster",
        default=None,
        help="the host names of a cluster's nodes, comma-separated: also write nats-cluster.conf",
    )
    parser.add_argument(
        "--url",
        default="tls://nats:4222",
        help="the url other systems connect to (integrator README)",
    )
    parser.add_argument(
        "--sites",
        default=os.environ.get("NETRAVEN_BUS_SITES", ""),
        help="remote sites, comma-separated: one identity `site-<name>` each "
        "(default: NETRAVEN_BUS_SITES)",
    )
    arguments = parser.parse_args(argv)
    credentials = BusCredentials(arguments.directory, sites=site_names(arguments.sites)).ensure()
    mounted = Path(arguments.mounted_at) if arguments.mounted_at else credentials.directory
    config = render_server_config(
        credentials, NatsListen("0.0.0.0", 4222, 8222), Path(arguments.store_dir), mounted
    )
    write_private(credentials.directory / "nats-server.conf", config.encode())
    if arguments.cluster:
        nodes = [node.strip() for node in arguments.cluster.split(",") if node.strip()]
        cluster = config + render_routes(credentials, nodes)
        write_private(credentials.directory / "nats-cluster.conf", cluster.encode())
    write_kits(credentials, credentials.directory / "identities")
    write_integrator_kit(credentials, credentials.directory / "integrator", arguments.url)
    print(f"bus credentials in {credentials.directory}")


if __name__ == "__main__":
    main()
