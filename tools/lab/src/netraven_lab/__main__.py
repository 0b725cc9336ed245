"""netraven-lab: serve simulated Cisco IOS devices until SIGINT or SIGTERM."""

import argparse
import asyncio
import contextlib
import logging
import signal
from pathlib import Path

import asyncssh

from netraven_lab.churn import churn
from netraven_lab.demo import DemoLab, LabLogin, write_registration
from netraven_lab.host_key import load_or_create_host_key
from netraven_lab.inventory import write_inventory
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles

log = logging.getLogger("netraven_lab")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    asyncssh.set_log_level(logging.WARNING)  # its INFO logs every connection and channel
    asyncio.run(_serve(args))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="netraven-lab", description=__doc__)
    parser.add_argument("--devices", type=int, default=5)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--advertise-host", help="address written to the inventory (default: --host)"
    )
    parser.add_argument("--base-port", type=int, default=10022, help="0 picks free ports")
    parser.add_argument("--inventory", type=Path, required=True, help="JSON file to write")
    parser.add_argument("--config-bytes", type=int, default=2048)
    parser.add_argument("--host-key", type=Path, help="kept here so restarts keep the key")
    parser.add_argument("--username", default="netraven")
    parser.add_argument("--password", default="netraven")
    parser.add_argument("--enable-secret", default="netraven-enable")
    parser.add_argument(
        "--authorized-keys", type=Path, help="authorized_keys file: these keys log in too"
    )
    parser.add_argument(
        "--key-only", action="store_true", help="refuse passwords (needs --authorized-keys)"
    )
    parser.add_argument("--delay", type=float, default=0.0, help="seconds per command")
    parser.add_argument(
        "--churn-seconds", type=float, default=0.0, help="change one device's config this often"
    )
    parser.add_argument(
        "--demo",
        type=Path,
        help="also serve the demo's extra devices (netraven_lab.demo) on the ports after the "
        "lab's, writing what to register to this JSON file; their keys are kept beside it",
    )
    return parser


async def _serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    profiles = make_lab_profiles(
        args.devices,
        base_port=args.base_port,
        username=args.username,
        password=args.password,
        enable_secret=args.enable_secret,
        config_bytes=args.config_bytes,
        delay=args.delay,
        authorized_keys=_authorized_keys(args.authorized_keys),
        accepts_passwords=not args.key_only,
    )
    host_key = load_or_create_host_key(args.host_key)
    async with contextlib.AsyncExitStack() as running:
        lab = await running.enter_async_context(Lab(profiles, host=args.host, host_key=host_key))
        if args.demo is not None:
            await _serve_demo(args, running, host_key)
        write_inventory(args.inventory, lab.profiles, args.advertise_host or args.host)
        for profile in lab.profiles:
            log.info("lab.device.listening hostname=%s port=%d", profile.hostname, profile.port)
        log.info("lab.ready devices=%d inventory=%s", len(lab.profiles), args.inventory)
        drift = asyncio.create_task(churn(lab, args.churn_seconds)) if args.churn_seconds else None
        await stop.wait()
        if drift is not None:
            drift.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await drift
    log.info("lab.stopped")


async def _serve_demo(
    args: argparse.Namespace, running: contextlib.AsyncExitStack, host_key: asyncssh.SSHKey
) -> None:
    login = LabLogin(args.username, args.password, args.enable_secret, args.config_bytes)
    base_port = args.base_port + args.devices if args.base_port else 0
    demo = await running.enter_async_context(
        DemoLab(args.demo.parent, login, base_port, host=args.host, host_key=host_key)
    )
    write_registration(args.demo, demo.registration(args.advertise_host or args.host))
    log.info("lab.demo.ready registration=%s", args.demo)


def _authorized_keys(path: Path | None) -> tuple[str, ...]:
    if path is None:
        return ()
    lines = (line.strip() for line in path.read_text().splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


if __name__ == "__main__":
    raise SystemExit(main())
