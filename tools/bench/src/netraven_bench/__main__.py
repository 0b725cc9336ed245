"""`make bench`: NetRaven's backup rate end to end (P1) and the platform's own overhead (P2).

- P1: devices/s of one NetRaven run (api -> every config committed) against a plain Netmiko thread
  pool of the same concurrency on the same simulated devices, in this one invocation, and the ratio.
- P2: devices/s of the same run with the SSH step replaced by an instant fake session
  (`fake_session`): bus, worker, gitkeeper, run recorder and log-collector only.
Each NetRaven row is followed by the CPU each part of the stack spent, in ms per device, and when
each bus consumer was last busy (the last to drain is the stage that held the run up).
"""

import argparse
import asyncio

from netraven_bench.p1 import measure_p1
from netraven_bench.p2 import measure_p2
from netraven_bench.run import TimedRun


def detail_lines(run: TimedRun) -> str:
    cpu = ", ".join(f"{part} {1000 * seconds / run.devices:.1f}" for part, seconds in run.cpu_seconds.items())
    drained = ", ".join(f"{consumer} {seconds:.1f}" for consumer, seconds in run.drained_at.items() if seconds)
    return f"{'':>8} CPU ms/device: {cpu}\n{'':>8} consumers last busy at s: {drained}"


def print_p1(devices_list: list[int], concurrency: int, config_bytes: int) -> None:
    print(f"{'devices':>8} {'sessions':>8} {'netmiko pool /s':>16} "
          f"{'NetRaven /s':>12} {'ratio':>6}  (P1, config ~{config_bytes} B;"
          " pool: mean of a run before and one after NetRaven's)")
    for devices in devices_list:
        (before, after), netraven = asyncio.run(measure_p1(devices, concurrency, config_bytes))
        baseline = (before + after) / 2
        print(f"{devices:>8} {concurrency:>8} {baseline:>16.1f} {netraven.rate:>12.1f} {netraven.rate / baseline:>6.2f}"
              f"  (pool before {before:.1f}, after {after:.1f})", flush=True)
        print(detail_lines(netraven), flush=True)


def print_p2(devices_list: list[int], concurrency: int) -> None:
    print(f"{'devices':>8} {'handlers':>8} {'run done /s':>12} {'bus drained /s':>15}  (P2, instant fake sessions)")
    for devices in devices_list:
        run = measure_p2(devices, concurrency)
        print(f"{devices:>8} {concurrency:>8} {run.rate:>12.1f} {devices / run.drained_seconds:>15.1f}", flush=True)
        print(detail_lines(run), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, nargs="*", default=[200], help="P1 device counts (none: skip P1)")
    parser.add_argument("--concurrency", type=int, default=20, help="P1 SSH sessions, for both sides")
    parser.add_argument("--config-bytes", type=int, default=2048)
    parser.add_argument("--p2-devices", type=int, nargs="*", default=[], help="P2 device counts (none: skip P2)")
    parser.add_argument("--p2-concurrency", type=int, default=50, help="P2 backups in flight in the worker")
    args = parser.parse_args()
    if args.devices:
        print_p1(args.devices, args.concurrency, args.config_bytes)
    if args.p2_devices:
        print_p2(args.p2_devices, args.p2_concurrency)


if __name__ == "__main__":
    main()
