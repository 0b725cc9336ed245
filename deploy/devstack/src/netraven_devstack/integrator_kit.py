"""What another system needs to join the bus: the integrator's nkey seed, the CA, and a README
with a working nats-py snippet and the `nats` CLI line."""

from pathlib import Path
from typing import TYPE_CHECKING

from netraven_shared.events import subjects

if TYPE_CHECKING:
    from netraven_devstack.bus_credentials import BusCredentials

IDENTITY = "integrator"

README = '''# Connect another system to NetRaven

This directory holds the `integrator` identity: `integrator.nk` (its nkey seed: keep it secret)
and `ca.pem` (the certificate authority that signed the NATS server's certificate).

The integrator may publish `{requested}` (ask for a backup) and subscribe to `{changed}`
(a device's configuration changed). Nothing else: any other subject is refused.

```python
import asyncio, json, ssl, uuid
from datetime import datetime, timezone

import nats


async def main() -> None:
    tls = ssl.create_default_context(cafile="ca.pem")
    nc = await nats.connect("{url}", tls=tls, nkeys_seed="integrator.nk", inbox_prefix="_INBOX_integrator")

    async def on_changed(msg) -> None:
        event = json.loads(msg.data)
        print("config changed:", event["hostname"], event["commit_sha"])

    await nc.subscribe("{changed}", cb=on_changed)
    request = {{
        "event_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4()), "schema_version": 1,
        "occurred_at": datetime.now(timezone.utc).isoformat(), "hostname": "core-sw-01",
    }}
    js = nc.jetstream()
    await js.publish("{requested}", json.dumps(request).encode(), headers={{"Nats-Msg-Id": request["event_id"]}})
    await asyncio.sleep(60)
    await nc.close()


asyncio.run(main())
```

With the `nats` CLI:

```
nats --server {url} --tlsca ca.pem --nkey integrator.nk --inbox-prefix _INBOX_integrator sub {changed}
```

The full contracts (fields of `JobRequested` and `ConfigChanged`) are in docs/events.md and
docs/asyncapi.yaml.
'''


def write_integrator_kit(credentials: "BusCredentials", kit: Path, url: str) -> None:
    kit.mkdir(parents=True, exist_ok=True)
    for source in (credentials.seed_path(IDENTITY), credentials.ca):
        target = kit / source.name
        target.write_bytes(source.read_bytes())
        target.chmod(0o600)
    (kit / "README.md").write_text(README.format(url=url, requested=subjects.JOB_REQUESTED, changed=subjects.CONFIG_CHANGED))
