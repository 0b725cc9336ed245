"""The bus secrets of a Kubernetes installation (deploy/kubernetes, docs/kubernetes.md), as
Secret manifests.

    python -m netraven_devstack.kubernetes_bus DIR [--namespace netraven] [--sites a,b]

keeps the bus credentials in DIR/credentials (made on the first run and reused after, so running
it again, after an upgrade changed the permission matrix, keeps every key) and writes
DIR/bus-secrets.yaml, for `kubectl apply -f`:

- `netraven-nats-server`: `nats-server.conf` (TLS, one nkey user per identity with its permissions
  from `bus_identities`, the routes of the 3-node cluster, the JetStream encryption key) with the
  server's certificate and key, mounted by the NATS StatefulSet at /etc/nats;
- `netraven-bus-<identity>`: that identity's nkey seed and the CA, mounted by its service at
  /run/netraven/bus (`integrator`'s is for other systems);
- for each remote site (`--sites`, default NETRAVEN_BUS_SITES), DIR/site-<site>-bus.yaml: the
  Secret `netraven-site-bus` with the seed of `site-<site>` and the CA, in no namespace, for
  `kubectl apply -n <the site's namespace> -f` where its collector runs (deploy/kubernetes/site).
  It is not in bus-secrets.yaml: nothing in the central namespace connects as a site.

DIR holds every secret of the bus: keep it as private as they are.
"""

import argparse
import base64
import os
from pathlib import Path

import yaml
from netraven_shared.bus_identities import IDENTITIES, site_identity

from netraven_devstack.bus_credentials import BusCredentials, site_names, write_private
from netraven_devstack.nats_config import NatsListen, render_server_config
from netraven_devstack.nats_routes import render_routes

# deploy/kubernetes/base/nats.yaml: the StatefulSet, its headless Service, where the secret is.
STATEFUL_SET = "nats"
ROUTES_SERVICE = "nats-cluster"
NODES = 3
CONFIG_DIR = Path("/etc/nats")
STORE_DIR = Path("/data/jetstream")
SERVER_SECRET = "netraven-nats-server"
# The kubelet probes the monitoring port on the pod's address.
LISTEN = NatsListen("0.0.0.0", 4222, 8222, monitor_host="0.0.0.0")
# deploy/kubernetes/site: one site per namespace, so its Secret and seed file name no site.
SITE_BUS_SECRET = "netraven-site-bus"
SITE_SEED = "site.nk"


def identity_secret_name(identity: str) -> str:
    return f"netraven-bus-{identity}"


def node_hosts(nodes: int = NODES) -> list[str]:
    """The DNS names of the StatefulSet's pods, within the namespace."""
    return [f"{STATEFUL_SET}-{index}.{ROUTES_SERVICE}" for index in range(nodes)]


def server_config(credentials: BusCredentials) -> str:
    config = render_server_config(credentials, LISTEN, STORE_DIR, CONFIG_DIR)
    return config + render_routes(credentials, node_hosts())


def site_manifest(directory: Path, site: str) -> Path:
    return directory / f"site-{site}-bus.yaml"


def _secret(name: str, namespace: str | None, files: dict[str, bytes]) -> dict:
    labels = {"app.kubernetes.io/name": "netraven", "app.kubernetes.io/part-of": "netraven"}
    where = {} if namespace is None else {"namespace": namespace}
    metadata = {"name": name, **where, "labels": labels}
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": metadata,
        "data": {key: base64.b64encode(value).decode() for key, value in sorted(files.items())},
    }


def bus_secrets(credentials: BusCredentials, namespace: str) -> list[dict]:
    server = _secret(
        SERVER_SECRET,
        namespace,
        {
            "nats-server.conf": server_config(credentials).encode(),
            credentials.server_cert.name: credentials.server_cert.read_bytes(),
            credentials.server_key.name: credentials.server_key.read_bytes(),
        },
    )
    identities = [
        _secret(
            identity_secret_name(identity),
            namespace,
            {
                credentials.seed_path(identity).name: credentials.seed_path(identity).read_bytes(),
                credentials.ca.name: credentials.ca.read_bytes(),
            },
        )
        for identity in credentials.identities
        if identity in IDENTITIES
    ]
    return [server, *identities]


def site_bus_secret(credentials: BusCredentials, site: str) -> dict:
    seed = credentials.seed_path(site_identity(site).name)
    files = {SITE_SEED: seed.read_bytes(), credentials.ca.name: credentials.ca.read_bytes()}
    return _secret(SITE_BUS_SECRET, None, files)


def write_bus_secrets(directory: Path, namespace: str, sites: tuple[str, ...] = ()) -> Path:
    """bus-secrets.yaml (its path is returned) and each site's manifest (`site_manifest`)."""
    credentials = BusCredentials(directory / "credentials", sites=sites).ensure()
    manifest = directory / "bus-secrets.yaml"
    text = yaml.safe_dump_all(bus_secrets(credentials, namespace), sort_keys=False)
    write_private(manifest, text.encode())
    for site in sites:
        site_text = yaml.safe_dump(site_bus_secret(credentials, site), sort_keys=False)
        write_private(site_manifest(directory, site), site_text.encode())
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Write the bus credentials and their Kubernetes Secrets (bus-secrets.yaml) "
        "into DIR."
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("--namespace", default="netraven")
    parser.add_argument(
        "--sites",
        default=os.environ.get("NETRAVEN_BUS_SITES", ""),
        help="remote sites, comma-separated: one identity `site-<name>` each "
        "(default: NETRAVEN_BUS_SITES)",
    )
    arguments = parser.parse_args(argv)
    sites = site_names(arguments.sites)
    manifest = write_bus_secrets(arguments.directory, arguments.namespace, sites)
    print(f"bus secrets in {manifest}: kubectl apply -f {manifest}")
    for site in sites:
        site_file = site_manifest(arguments.directory, site)
        print(f"site {site}: kubectl apply -n <its namespace> -f {site_file} (at the site)")


if __name__ == "__main__":
    main()
