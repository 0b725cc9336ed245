"""`make bench` (sse): live streams at scale on ONE api process.

Opens N live-log streams (GET /api/logs/stream) and N run streams (GET /api/runs/stream) against
the api of the measured stack, then for a fixed time writes log entries into the log table (as
the log-collector does) and starts ad-hoc backup runs through the api (each is announced when
started, and again as the worker records its result). Prints the delivery lag (receive time minus
the entry's timestamp, or minus the announcement's commit time) p50/p95/max per kind of stream, and
the CPU seconds the api process spent in the measured window.

The clients are plain asyncio connections that parse only what they time, so the benchmark's own
process stays small beside the api on the same machine.
"""

import argparse
import asyncio
import os
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from netraven_shared.db.base import utc_now
from netraven_shared.db.models import LogEntry
from netraven_shared.db.session import create_engine, session_factory

from netraven_bench.cpu import cpu_by_part, cpu_spent
from netraven_bench.stack import ADMIN_PASSWORD, BenchStack, measured_stack

CLOSED_PORT = 9  # discard: nothing listens, so each backup fails at once and is recorded
BENCH_SOURCE = '"source":"bench"'  # only the lines written here: others come through the bus
DEVICE = {
    "hostname": "sse-bench-01",
    "ip_address": "127.0.0.1",
    "device_type": "cisco_ios",
    "port": CLOSED_PORT,
    "username": "bench",
    "password": "bench-password",
}


@dataclass
class Deliveries:
    lags: dict[str, list[float]] = field(default_factory=lambda: {"log": [], "run": []})
    connected: dict[str, int] = field(default_factory=lambda: {"log": 0, "run": 0})
    ended: dict[str, int] = field(default_factory=lambda: {"log": 0, "run": 0})
    measuring: bool = False

    def received(self, kind: str, stamp: str) -> None:
        if self.measuring:
            sent = datetime.fromisoformat(stamp).timestamp()
            self.lags[kind].append(time.time() - sent)


def _stamp(data: str, key: str) -> str:
    """The timestamp field of an event's JSON, without parsing the rest."""
    start = data.index(f'"{key}":"') + len(key) + 4
    return data[start : data.index('"', start)]


async def _chunks(reader: asyncio.StreamReader) -> str:
    size = int((await reader.readline()).strip() or b"0", 16)
    if size == 0:
        raise EOFError
    chunk = await reader.readexactly(size + 2)
    return chunk[:-2].decode()


async def sse_client(
    url: str,
    path: str,
    token: str,
    kind: str,
    key: str,
    deliveries: Deliveries,
) -> None:
    address = urlsplit(url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port, limit=2**20)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {address.netloc}\r\nAuthorization: Bearer {token}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"{path}: {status.decode().strip()}")
    while (await reader.readline()).strip():
        pass  # headers: uvicorn streams with chunked transfer encoding
    text = ""
    try:
        while True:
            text += await _chunks(reader)
            *blocks, text = text.split("\n\n")
            for block in blocks:
                if block.startswith(": connected"):
                    deliveries.connected[kind] += 1
                elif f"event: {kind}" in block and (kind == "run" or BENCH_SOURCE in block):
                    deliveries.received(kind, _stamp(block, key))
    except (EOFError, ConnectionError, asyncio.IncompleteReadError):
        deliveries.ended[kind] += 1
    finally:
        writer.close()


async def write_logs(database_url: str, per_second: float, seconds: float) -> int:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+asyncpg://"))
    sessions = session_factory(engine)
    written, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        async with sessions() as session:
            session.add(
                LogEntry(
                    event_id=uuid.uuid4(),
                    timestamp=utc_now(),
                    level="info",
                    log_type="job",
                    message=f"sse bench line {written}",
                    source="bench",
                    extra={},
                )
            )
            await session.commit()
        written += 1
        await asyncio.sleep(max(0.0, started + written / per_second - time.monotonic()))
    await engine.dispose()
    return written


async def start_runs(
    client: httpx.AsyncClient, device_id: str, per_second: float, seconds: float
) -> int:
    started_runs, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        response = await client.post(f"/api/devices/{device_id}/backup")
        response.raise_for_status()
        started_runs += 1
        await asyncio.sleep(max(0.0, started + started_runs / per_second - time.monotonic()))
    return started_runs


async def _wait_until(ready: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError("the streams did not all open")
        await asyncio.sleep(0.2)


async def measure(stack: BenchStack, args: argparse.Namespace) -> None:
    deliveries = Deliveries()
    async with httpx.AsyncClient(base_url=stack.api_url, timeout=60) as client:
        credentials = {"username": "admin", "password": ADMIN_PASSWORD}
        token = (await client.post("/api/auth/token", data=credentials)).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        found = (await client.get("/api/devices", params={"q": str(DEVICE["hostname"])})).json()
        device = found["items"][0]
        clients = [
            *(
                sse_client(stack.api_url, "/api/logs/stream", token, "log", "timestamp", deliveries)
                for _ in range(args.clients)
            ),
            *(
                sse_client(
                    stack.api_url, "/api/runs/stream", token, "run", "occurred_at", deliveries
                )
                for _ in range(args.clients)
            ),
        ]
        streams = [asyncio.create_task(opened) for opened in clients]
        await _wait_until(lambda: min(deliveries.connected.values()) >= args.clients, 120)
        deliveries.measuring = True
        before = cpu_by_part()
        logs, runs = await asyncio.gather(
            write_logs(stack.database_dsn, args.logs_per_second, args.seconds),
            start_runs(client, device["id"], args.runs_per_second, args.seconds),
        )
        await asyncio.sleep(2)  # the last announcements and entries arrive
        api_cpu = cpu_spent(before, cpu_by_part()).get("api", 0.0)
        deliveries.measuring = False
        for stream in streams:
            stream.cancel()
        await asyncio.gather(*streams, return_exceptions=True)
    print(
        f"{args.clients} log + {args.clients} run streams on one api process, "
        f"{args.seconds:.0f} s: "
        f"{logs} log entries, {runs} runs started"
    )
    print(
        f"{'stream':>6} {'delivered':>10} {'p50 s':>7} {'p95 s':>7} {'max s':>7} "
        f"{'ended early':>12}"
    )
    for kind, lags in deliveries.lags.items():
        if not lags:
            print(f"{kind:>6} {0:>10}")
            continue
        p50, p95 = statistics.median(lags), statistics.quantiles(lags, n=20)[-1]
        print(
            f"{kind:>6} {len(lags):>10} {p50:>7.3f} {p95:>7.3f} {max(lags):>7.3f} "
            f"{deliveries.ended[kind]:>12}"
        )
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"api CPU {api_cpu:.1f} s in {args.seconds + 2:.0f} s "
        f"({100 * api_cpu / (args.seconds + 2):.0f}% of a core); load average {load}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500, help="streams of each kind")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--logs-per-second", type=float, default=10)
    parser.add_argument("--runs-per-second", type=float, default=2)
    args = parser.parse_args()
    # two sockets per stream (here and in the api, which inherits the limit), and some to spare
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4 * args.clients + 1024), hard))
    with (
        tempfile.TemporaryDirectory(prefix="netraven-bench-sse-") as root,
        measured_stack(Path(root), [DEVICE], sessions=1) as stack,
    ):
        asyncio.run(measure(stack, args))


if __name__ == "__main__":
    main()
