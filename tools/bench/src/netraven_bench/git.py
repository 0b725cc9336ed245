"""`make bench` (git, P3): gitkeeper's commits, batched against one per device, and a long version
list.

Runs gitkeeper's own store code (`ConfigWriter`: git commits, then the version index rows) in this
process, against temp repositories and a fresh embedded PostgreSQL. Announcing on the bus is left
out: it is the same work in both modes. In the same run:

- **batched**: N configs of N devices in batches of 500, as the batch consumer hands them over under
  load;
- **one commit per device** (the baseline): the same kind of configs, one `write` per backup; this
  also makes N commits in one process, so its memory and open file descriptors show any leak;
- **version list**: the api's own `list_versions` for a device with N index rows (filled by SQL).
"""

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

from netraven_api.configs.service import list_versions
from netraven_devstack.ports import free_port
from netraven_devstack.postgres_server import EmbeddedPostgres
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.planner import Backup
from netraven_gitkeeper.writer import ConfigWriter
from netraven_shared.config_transport import sha256_of
from netraven_shared.db.migrate import upgrade
from netraven_shared.db.models import Device, Run, RunResult
from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.events import DeviceBackedUp
from netraven_shared.events.base import utc_now
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

BATCH = 500
REPEATS = 15
FILL_VERSIONS = """
INSERT INTO config_versions
    (device_id, commit, path, sha256, size_bytes, committed_at, run_id, changed_lines)
SELECT :device_id, md5(g::text) || substr(md5((g + 1)::text), 1, 8), 'bench-history.cfg',
       md5(g::text) || md5(g::text),
       2048, now() - (g || ' minutes')::interval, NULL, 2
FROM generate_series(1, :versions) AS g
"""


def config_text(hostname: str) -> str:
    """About 2 KB, shaped like a switch's running-config."""
    ports = "".join(
        (
            f"interface GigabitEthernet0/{p}\n description {hostname} "
            f"access port {p}\n switchport access vlan {10 + p}\n!\n"
        )
        for p in range(24)
    )
    return f"hostname {hostname}\n!\nntp server 10.0.0.1\nlogging host 10.0.0.9\n!\n{ports}end\n"


def backup_of(device: Device, run_id: uuid.UUID) -> Backup:
    text_ = config_text(device.hostname)
    event = DeviceBackedUp(
        run_id=run_id,
        device_id=device.id,
        hostname=device.hostname,
        device_type="cisco_ios",
        config_text=text_,
        sha256=sha256_of(text_),
        size_bytes=len(text_.encode()),
        collected_at=utc_now(),
    )
    return Backup(event, text_)


async def add_devices(
    sessions: async_sessionmaker[AsyncSession], prefix: str, count: int
) -> list[Device]:
    devices = [
        Device(
            id=uuid.uuid4(),
            hostname=f"{prefix}-{n:05d}",
            ip_address="127.0.0.1",
            device_type="cisco_ios",
        )
        for n in range(count)
    ]
    async with sessions() as session:
        for start in range(0, count, 1000):
            await session.execute(
                insert(Device),
                [
                    {
                        "id": d.id,
                        "hostname": d.hostname,
                        "ip_address": d.ip_address,
                        "device_type": d.device_type,
                    }
                    for d in devices[start : start + 1000]
                ],
            )
        await session.commit()
    return devices


async def add_run(sessions: async_sessionmaker[AsyncSession], devices: list[Device]) -> uuid.UUID:
    """One run backing up every device: gitkeeper stores only backups of a run the database
    holds."""
    run_id = uuid.uuid4()
    async with sessions() as session:
        await session.execute(
            insert(Run),
            [{"id": run_id, "trigger": "manual", "kind": "backup", "status": "running"}],
        )
        for start in range(0, len(devices), 1000):
            await session.execute(
                insert(RunResult),
                [
                    {
                        "run_id": run_id,
                        "device_id": d.id,
                        "hostname": d.hostname,
                        "status": "running",
                    }
                    for d in devices[start : start + 1000]
                ],
            )
        await session.commit()
    return run_id


def process_usage() -> tuple[float, int]:
    """(RSS in MiB, open file descriptors) of this process."""
    with open("/proc/self/status") as status:
        rss_kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return rss_kib / 1024, len(os.listdir("/proc/self/fd"))


async def timed_writes(
    writer: ConfigWriter, chunks: list[list[Backup]], usage: dict[str, tuple[float, int]]
) -> float:
    """Seconds to write every chunk; samples memory and descriptors at the start, middle and end."""
    usage["start"] = process_usage()
    started = time.perf_counter()
    for index, chunk in enumerate(chunks):
        _, rejected = await writer.write(chunk)
        if rejected:
            raise RuntimeError(
                f"gitkeeper refused {len(rejected)} backups, e.g. {rejected[0].reason}"
            )
        if index == len(chunks) // 2:
            usage["middle"] = process_usage()
    elapsed = time.perf_counter() - started
    usage["end"] = process_usage()
    return elapsed


async def _versions(session: AsyncSession, device_id: uuid.UUID, limit: int) -> object:
    return await list_versions(session, device_id, limit)


async def median_ms(
    sessions: async_sessionmaker[AsyncSession], query: Callable[[AsyncSession], Awaitable[object]]
) -> float:
    timings = []
    async with sessions() as session:
        for _ in range(REPEATS):
            started = time.perf_counter()
            await query(session)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


async def measure(database_url: str, root: Path, configs: int, baseline_configs: int) -> None:
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    batched_repo, single_repo = (
        ConfigRepository(root / "batched"),
        ConfigRepository(root / "one-per-device"),
    )
    batched_devices = await add_devices(sessions, "batched", configs)
    single_devices = await add_devices(sessions, "single", baseline_configs)
    batched_run, single_run = (
        await add_run(sessions, batched_devices),
        await add_run(sessions, single_devices),
    )
    batched = [backup_of(d, batched_run) for d in batched_devices]
    single = [backup_of(d, single_run) for d in single_devices]

    batched_usage: dict[str, tuple[float, int]] = {}
    batched_s = await timed_writes(
        ConfigWriter(batched_repo, sessions),
        [batched[i : i + BATCH] for i in range(0, configs, BATCH)],
        batched_usage,
    )
    print(
        f"batched: {configs:,} configs in {len(batched_repo.reachable_commits())} commits, "
        f"{batched_s:.1f} s",
        flush=True,
    )
    single_usage: dict[str, tuple[float, int]] = {}
    single_s = await timed_writes(
        ConfigWriter(single_repo, sessions), [[b] for b in single], single_usage
    )
    print(
        (
            f"one commit per device: {baseline_configs:,} configs in "
            f"{len(single_repo.reachable_commits())} commits, {single_s:.1f} s"
        ),
        flush=True,
    )

    batched_rate, single_rate = configs / batched_s, baseline_configs / single_s
    print()
    print(f"{'mode':>22} {'configs':>8} {'commits':>8} {'seconds':>8} {'configs/s':>10}")
    print(
        f"{'one commit per device':>22} {baseline_configs:>8,} "
        f"{baseline_configs:>8,} {single_s:>8.1f} {single_rate:>10.0f}"
    )
    print(
        f"{'batched (500)':>22} {configs:>8,} {-(-configs // BATCH):>8,} "
        f"{batched_s:>8.1f} {batched_rate:>10.0f}"
    )
    print(f"batching is {batched_rate / single_rate:.0f}x faster per config (target >= 20x)")
    print()
    print(
        f"{'process during':>22} {'RSS start':>10} {'middle':>8} {'end':>8} "
        f"{'FDs start':>10} {'middle':>7} {'end':>5}"
    )
    for name, usage in (("one commit per device", single_usage), ("batched", batched_usage)):
        (rss0, fd0), (rss1, fd1), (rss2, fd2) = usage["start"], usage["middle"], usage["end"]
        print(
            f"{name:>22} {rss0:>8.1f}MB {rss1:>6.1f}MB {rss2:>6.1f}MB {fd0:>10} {fd1:>7} {fd2:>5}"
        )

    history_device = (await add_devices(sessions, "history", 1))[0]
    async with sessions() as session:
        await session.execute(
            text(FILL_VERSIONS), {"device_id": history_device.id, "versions": configs}
        )
        await session.commit()
        await session.execute(text("ANALYZE config_versions"))
    print()
    print(
        f"{'list_versions of a device with':>32} {configs:,} versions "
        f"(median of {REPEATS}, target < 50 ms)"
    )
    for limit in (100, 1000):
        elapsed = await median_ms(
            sessions, partial(_versions, device_id=history_device.id, limit=limit)
        )
        print(f"{f'limit {limit}':>32} {elapsed:>8.2f} ms")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--configs", type=int, default=10_000, help="configs stored batched (and versions listed)"
    )
    parser.add_argument(
        "--baseline-configs", type=int, help="configs stored one commit each (default: --configs)"
    )
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="netraven-bench-git-") as root,
        EmbeddedPostgres(data_dir=Path(root) / "pg", port=free_port(), fast=True) as postgres,
    ):
        upgrade(postgres.url)
        asyncio.run(
            measure(postgres.url, Path(root), args.configs, args.baseline_configs or args.configs)
        )


if __name__ == "__main__":
    main()
