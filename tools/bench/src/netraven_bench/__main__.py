"""`make bench`: NetRaven's backup rate end to end (P1) and the platform's own overhead (P2).

- P1: devices/s of one NetRaven run (api -> every config committed) against a plain Netmiko thread
  pool of the same concurrency on the same simulated devices, in this one invocation, and the ratio.
- P2: devices/s of the same run with the SSH step replaced by an instant fake session
  (`fake_session`): bus, worker, gitkeeper, run recorder and log-collector only.
- Scale (`--workers 1 2 4`): P2's run against that many single-process worker services (`scale`),
  its rate as a ratio to the first count's, each process's share of the devices, and a failure if
  any device was backed up twice.
Each NetRaven row is followed by a table of the CPU each part of the stack spent, in ms per device
(with `--rss`, also each part's resident memory at the run's start, middle and end), and when each
bus consumer was last busy (the last to drain is the stage that held the run up).
"""

import argparse
import asyncio

from netraven_bench.p1 import measure_p1
from netraven_bench.p2 import measure_p2
from netraven_bench.run import TimedRun
from netraven_bench.scale import measure_scale, spread

INDENT = " " * 9


def part_table(run: TimedRun) -> list[str]:
    """A line per part of the stack: CPU ms/device, then RSS MiB at start, middle, end if taken."""
    memory = f" {'RSS MiB start':>14} {'middle':>7} {'end':>7}" if run.rss_mib else ""
    lines = [f"{INDENT}{'part':<20} {'CPU ms/device':>13}{memory}"]
    for part, seconds in run.cpu_seconds.items():
        rss = run.rss_mib.get(part)
        memory = f" {rss[0]:>14.0f} {rss[1]:>7.0f} {rss[2]:>7.0f}" if rss else ""
        lines.append(f"{INDENT}{part:<20} {1000 * seconds / run.devices:>13.2f}{memory}")
    total = 1000 * sum(run.cpu_seconds.values()) / run.devices
    lines.append(f"{INDENT}{'total':<20} {total:>13.2f}")
    return lines


def detail_lines(run: TimedRun) -> str:
    drained = ", ".join(
        f"{consumer} {seconds:.1f}" for consumer, seconds in run.drained_at.items() if seconds
    )
    return "\n".join([*part_table(run), f"{INDENT}consumers last busy at s: {drained}"])


def print_p1(devices_list: list[int], concurrency: int, config_bytes: int) -> None:
    print(
        f"{'devices':>8} {'sessions':>8} {'netmiko pool /s':>16} "
        f"{'NetRaven /s':>12} {'ratio':>6}  (P1, config ~{config_bytes} B;"
        " pool: mean of a run before and one after NetRaven's)"
    )
    for devices in devices_list:
        (before, after), netraven = asyncio.run(measure_p1(devices, concurrency, config_bytes))
        baseline = (before + after) / 2
        print(
            f"{devices:>8} {concurrency:>8} {baseline:>16.1f} {netraven.rate:>12.1f} "
            f"{netraven.rate / baseline:>6.2f}"
            f"  (pool before {before:.1f}, after {after:.1f})",
            flush=True,
        )
        print(detail_lines(netraven), flush=True)


def print_p2(devices_list: list[int], concurrency: int, rss: bool) -> None:
    print(
        f"{'devices':>8} {'handlers':>8} {'run done /s':>12} {'bus drained /s':>15}  "
        "(P2, instant fake sessions)"
    )
    for devices in devices_list:
        run = measure_p2(devices, concurrency, rss)
        print(
            f"{devices:>8} {concurrency:>8} {run.rate:>12.1f} "
            f"{devices / run.drained_seconds:>15.1f}",
            flush=True,
        )
        print(detail_lines(run), flush=True)


def print_scale(
    devices: int, process_counts: list[int], sessions_per_process: int, supervised: bool
) -> None:
    layout = (
        "one worker service, its supervisor's processes"
        if supervised
        else "one single-process worker service per process, sharing the durable"
    )
    print(
        f"{'processes':>9} {'sessions':>8} {'run done /s':>12} {'ratio':>6} {'load':>5}  "
        f"devices started per worker process (share)  (scale, {devices} devices, instant fake "
        f"sessions, {layout}; load: the 1-minute load average at the run's end)"
    )
    baseline = None
    for processes in process_counts:
        scaled = measure_scale(devices, processes, sessions_per_process, supervised)
        baseline = baseline or scaled.run.rate
        print(
            f"{processes:>9} {scaled.sessions:>8} {scaled.run.rate:>12.1f} "
            f"{scaled.run.rate / baseline:>6.2f} {scaled.load_average:>5.1f}  "
            f"{spread(scaled.tally)}",
            flush=True,
        )
        backed_up = scaled.tally.backed_up
        print(
            f"{INDENT}each device backed up once: {sum(backed_up.values())} DeviceBackedUp "
            f"for {len(backed_up)} devices",
            flush=True,
        )
        print(detail_lines(scaled.run), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--devices", type=int, nargs="*", default=[200], help="P1 device counts (none: skip P1)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=20, help="P1 SSH sessions, for both sides"
    )
    parser.add_argument("--config-bytes", type=int, default=2048)
    parser.add_argument(
        "--p2-devices", type=int, nargs="*", default=[], help="P2 device counts (none: skip P2)"
    )
    parser.add_argument(
        "--p2-concurrency", type=int, default=50, help="P2 backups in flight in the worker"
    )
    parser.add_argument("--rss", action="store_true", help="P2: memory at start, middle and end")
    parser.add_argument(
        "--workers",
        type=int,
        nargs="*",
        default=[],
        help="scale: worker process counts, the first the baseline (none: skip)",
    )
    parser.add_argument("--workers-devices", type=int, default=2000, help="scale: fleet size")
    parser.add_argument(
        "--workers-sessions", type=int, default=25, help="scale: backups in flight per process"
    )
    parser.add_argument(
        "--workers-supervised",
        action="store_true",
        help="scale: one worker service with NETRAVEN_WORKER_PROCESSES=N instead of N services",
    )
    args = parser.parse_args()
    if args.devices:
        print_p1(args.devices, args.concurrency, args.config_bytes)
    if args.p2_devices:
        print_p2(args.p2_devices, args.p2_concurrency, args.rss)
    if args.workers:
        print_scale(
            args.workers_devices, args.workers, args.workers_sessions, args.workers_supervised
        )


if __name__ == "__main__":
    main()
