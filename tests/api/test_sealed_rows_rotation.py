"""Key rotation reaches every row sealed with the credential key ring, not only credentials:
notification channels' URLs and signing keys, and inventory sources' API tokens."""

from netraven_api.credentials.key_ring import key_usage, rotate
from netraven_api.inventory_sources.schemas import InventorySourceCreate
from netraven_api.inventory_sources.service import create_source
from netraven_api.notifications.schemas import ChannelCreate
from netraven_api.notifications.service import create_channel
from netraven_shared.crypto import CredentialCipher
from netraven_shared.db.models import InventorySource, NotificationChannel
from netraven_shared.drivers.catalog import DriverCatalog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.key_ring import K1, K2, cipher

SEALED = {"key_id": "k2", "credential": "test"}


async def rotated_counts(
    sessions: async_sessionmaker[AsyncSession], with_cipher: CredentialCipher, label: str
) -> tuple[dict[str, int], tuple[int, int]]:
    """The rows of `label` per key before rotating, and (rotated, already on primary)."""
    async with sessions() as session:
        usage = {key.key_id: key.rows[label] for key in await key_usage(session, with_cipher)}
        rotation = await rotate(session, with_cipher)
        await session.commit()
    table = next(table for table in rotation if table.label == label)
    return usage, (table.rotated, table.already_on_primary)


async def test_notification_channels_are_counted_and_rotated(
    key_ring_sessions: async_sessionmaker[AsyncSession],
) -> None:
    url = "json://receiver.example.org/in?token=channel-token"
    async with key_ring_sessions() as session:
        data = ChannelCreate(name="soc", kind="webhook", url="https://h.example/in")
        webhook, key = await create_channel(session, data, cipher(K1))
        await create_channel(
            session, ChannelCreate(name="json", kind="apprise", url=url), cipher(K1)
        )
        await session.commit()
    usage, rotation = await rotated_counts(
        key_ring_sessions, cipher(f"{K2},{K1}"), "notification channels"
    )
    assert usage == {"k2": 0, "k1": 2}
    assert rotation == (2, 0)
    async with key_ring_sessions() as session:
        rows = {c.name: c for c in await session.scalars(select(NotificationChannel))}
    assert {row.key_id for row in rows.values()} == {"k2"}
    assert cipher(K2).decrypt(rows["json"].target_encrypted, **SEALED) == url
    assert cipher(K2).decrypt(rows["soc"].hmac_secret_encrypted or b"", **SEALED) == key
    assert webhook.id == rows["soc"].id


async def test_inventory_source_tokens_are_counted_and_rotated(
    key_ring_sessions: async_sessionmaker[AsyncSession],
) -> None:
    catalog = DriverCatalog.load(None)
    async with key_ring_sessions() as session:
        for name in ("netbox-dc1", "nautobot-lab"):
            data = InventorySourceCreate(
                name=name,
                kind="nautobot" if name.startswith("nautobot") else "netbox",
                url="https://inventory.example.org",
                token=f"{name}-token",
            )
            await create_source(session, data, cipher(K1), catalog)
        await session.commit()
    usage, rotation = await rotated_counts(
        key_ring_sessions, cipher(f"{K2},{K1}"), "inventory sources"
    )
    assert usage == {"k2": 0, "k1": 2}
    assert rotation == (2, 0)
    async with key_ring_sessions() as session:
        rows = {s.name: s for s in await session.scalars(select(InventorySource))}
    assert {row.key_id for row in rows.values()} == {"k2"}
    assert cipher(K2).decrypt(rows["netbox-dc1"].token_encrypted, **SEALED) == "netbox-dc1-token"
