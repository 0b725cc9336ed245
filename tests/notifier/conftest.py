from collections.abc import AsyncIterator

import pytest
from faststream.nats import NatsBroker
from netraven_notifier.app import throttle_bucket
from netraven_notifier.channels import ChannelBook
from netraven_notifier.dispatcher import Dispatcher
from netraven_notifier.sender import Sender
from netraven_notifier.throttle import Throttle
from netraven_shared.db.models import NotificationChannel
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.operator_log import OperatorLog
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fixtures.api import CIPHER
from tests.fixtures.infra import Infra


@pytest.fixture
async def db(infra: Infra) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions as the database owner; every channel a test made is disabled after it, so the
    next test's notifications go only to its own receivers."""
    engine = create_engine(infra.database_url)
    sessions = session_factory(engine)
    yield sessions
    async with sessions() as session:
        await session.execute(update(NotificationChannel).values(enabled=False))
        await session.commit()
    await engine.dispose()


@pytest.fixture
async def sender() -> AsyncIterator[Sender]:
    sender = Sender(attempts=3, backoff_seconds=0.05, timeout_seconds=3)
    yield sender
    await sender.close()


@pytest.fixture
def dispatcher(
    broker: NatsBroker, db: async_sessionmaker[AsyncSession], sender: Sender
) -> Dispatcher:
    book = ChannelBook(db, CIPHER, ttl_seconds=0)
    return Dispatcher(book, db, sender, OperatorLog(broker, "notifier"))


@pytest.fixture
def throttle(broker: NatsBroker) -> Throttle:
    return throttle_bucket(broker)


@pytest.fixture
def oplog(broker: NatsBroker) -> OperatorLog:
    return OperatorLog(broker, "notifier")
