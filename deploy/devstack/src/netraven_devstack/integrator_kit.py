"""The README of the integrator kit (what another system needs to join the bus, written beside the
integrator's nkey seed and the CA): a working nats-py snippet and the `nats` CLI line."""

from netraven_shared.events import subjects

IDENTITY = "integrator"

README = """# Connect another system to NetRaven

This directory holds the `integrator` identity: `integrator.nk` (its nkey seed: keep it secret)
and `ca.pem` (the certificate authority that signed the NATS server's certificate).

The integrator may publish `{requested}` (ask for a backup) and subscribe to `{changed}`
(a device's configuration changed). Nothing else: any other subject is refused.

```python
import asyncio, json, ssl

import nats


async def main() -> None:
    tls = ssl.create_default_context(cafile="ca.pem")
    nc = await nats.connect(
        "{url}", tls=tls, nkeys_seed="integrator.nk", inbox_prefix="_INBOX_integrator"
    )

    async def on_changed(msg) -> None:
        event = json.loads(msg.data)
        print("config changed:", event["hostname"])

    await nc.subscribe("{changed}", cb=on_changed)
    ack = await nc.jetstream().publish(
        "{requested}", json.dumps({{"hostname": "core-sw-01"}}).encode()
    )
    print("backup requested, stream sequence", ack.seq)
    await asyncio.sleep(60)
    await nc.close()


asyncio.run(main())
```

With the `nats` CLI (name one of your devices; a request for a device NetRaven does not know is
refused, and shows on the dashboard's Rejected events page):

```
nats --server {url} --tlsca ca.pem --nkey integrator.nk --inbox-prefix _INBOX_integrator \\
  pub {requested} '{{"hostname": "core-sw-01"}}'
nats --server {url} --tlsca ca.pem --nkey integrator.nk --inbox-prefix _INBOX_integrator \\
  sub {changed}
```

A `ConfigChanged` arrives only when a backup finds a configuration different from the one stored.

The full contracts (fields of `JobRequested` and `ConfigChanged`) are in docs/events.md and
docs/asyncapi.yaml.
"""


def integrator_readme(url: str) -> str:
    return README.format(url=url, requested=subjects.JOB_REQUESTED, changed=subjects.CONFIG_CHANGED)
