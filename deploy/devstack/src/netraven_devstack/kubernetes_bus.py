"""The bus secrets of a Kubernetes installation (deploy/kubernetes, docs/kubernetes.md), as
Secret manifests.

    python -m netraven_devstack.kubernetes_bus DIR [--namespace netraven]

keeps the bus credentials in DIR/credentials (made on the first run and reused after, so running
it again, after an upgrade changed the permission matrix, keeps every key) and writes
DIR/bus-secrets.yaml, for `kubectl apply -f`:

- `netraven-nats-server`: `nats-server.conf` (TLS, one nkey user per identity with its permissions
  from `bus_identities`, the routes of the 3-node cluster, the JetStream encryption key) with the
  server's certificate and key, mounted by the NATS StatefulSet at /etc/nats;
- `netraven-bus-<identity>`: that identity's nkey seed and the CA, mounted by its service at
  /run/netraven/bus (`integrator`'s is for other systems).

DIR holds every secret of the bus: keep it as private as they are.
"""

import argparse
import base64
from pathlib import Path

import yaml

from netraven_devstack.bus_credentials import BusCredentials, write_private
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


def identity_secret_name(identity: str) -> str:
    return f"netraven-bus-{identity}"


def node_hosts(nodes: int = NODES) -> list[str]:
    """The DNS names of the StatefulSet's pods, within the namespace."""
    return [f"{STATEFUL_SET}-{index}.{ROUTES_SERVICE}" for index in range(nodes)]


def server_config(credentials: BusCredentials) -> str:
    config = render_server_config(credentials, LISTEN, STORE_DIR, CONFIG_DIR)
    return config + render_routes(credentials, node_hosts())


def _secret(name: str, namespace: str, files: dict[str, bytes]) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {
                "app.kubernetes.io/name": "netraven",
                "app.kubernetes.io/part-of": "netraven",
            },
        },
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
    ]
    return [server, *identities]


def write_bus_secrets(directory: Path, namespace: str) -> Path:
    credentials = BusCredentials(directory / "credentials").ensure()
    manifest = directory / "bus-secrets.yaml"
    text = yaml.safe_dump_all(bus_secrets(credentials, namespace), sort_keys=False)
    write_private(manifest, text.encode())
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Write the bus credentials and their Kubernetes Secrets (bus-secrets.yaml) "
        "into DIR."
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("--namespace", default="netraven")
    arguments = parser.parse_args(argv)
    manifest = write_bus_secrets(arguments.directory, arguments.namespace)
    print(f"bus secrets in {manifest}: kubectl apply -f {manifest}")


if __name__ == "__main__":
    main()
