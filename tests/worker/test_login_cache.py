"""A tag set's decrypted logins are reused for the cache's TTL, never longer."""

import uuid

from netraven_worker.collection import Login
from netraven_worker.logins import MAX_TAG_SETS, LoginCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingLoader:
    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self) -> list[Login]:
        self.calls += 1
        return [
            Login(uuid.uuid4(), f"cred-{self.calls}", "netraven", f"password-{self.calls}", None)
        ]


TAGS = frozenset({uuid.uuid4()})


class TestLoginCache:
    async def test_reuses_the_logins_within_the_ttl(self) -> None:
        clock, load = Clock(), CountingLoader()
        cache = LoginCache(5.0, clock)
        first = await cache.logins(TAGS, load)
        clock.now += 4.9
        assert await cache.logins(TAGS, load) is first
        assert load.calls == 1

    async def test_a_changed_credential_is_seen_once_the_ttl_has_passed(self) -> None:
        clock, load = Clock(), CountingLoader()
        cache = LoginCache(5.0, clock)
        await cache.logins(TAGS, load)
        clock.now += 5.0
        assert (await cache.logins(TAGS, load))[0].password == "password-2"

    async def test_each_tag_set_has_its_own_entry(self) -> None:
        load = CountingLoader()
        cache = LoginCache(5.0, Clock())
        await cache.logins(TAGS, load)
        other = await cache.logins(frozenset({uuid.uuid4()}), load)
        assert other[0].password == "password-2"
        assert (await cache.logins(TAGS, load))[0].password == "password-1"

    async def test_a_zero_ttl_reads_every_time(self) -> None:
        load = CountingLoader()
        cache = LoginCache(0, Clock())
        for _ in range(3):
            await cache.logins(TAGS, load)
        assert load.calls == 3

    async def test_holds_a_bounded_number_of_tag_sets(self) -> None:
        load = CountingLoader()
        cache = LoginCache(60.0, Clock())
        oldest = frozenset({uuid.uuid4()})
        await cache.logins(oldest, load)
        for _ in range(MAX_TAG_SETS):
            await cache.logins(frozenset({uuid.uuid4()}), load)
        calls = load.calls
        await cache.logins(oldest, load)
        assert load.calls == calls + 1
