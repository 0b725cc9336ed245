"""A set of simulated devices served from one event loop, one port each."""

import asyncio
import dataclasses
import functools
from collections.abc import Iterable
from types import TracebackType
from typing import Self

import asyncssh

from netraven_lab.host_key import load_or_create_host_key
from netraven_lab.loop_thread import LoopThread
from netraven_lab.profiles import DeviceProfile
from netraven_lab.server import DeviceListener
from netraven_lab.telnet import TelnetListener


class Lab:
    """Serves every profile on host; a profile's port 0 becomes a free port once started. A
    profile marked `telnet` is served over Telnet, the others over SSH.

    Every device presents the lab's host key unless `set_host_keys` gave it its own, and records
    each password it is offered (`auth_attempts`), so tests can prove what reached a device.

    The devices run on a loop and thread of their own. asyncssh authenticates through its
    loop's default executor, so on the caller's loop a handful of blocking Netmiko logins in
    asyncio.to_thread would starve the very logins they wait for.
    """

    def __init__(
        self,
        profiles: Iterable[DeviceProfile],
        host: str = "127.0.0.1",
        host_key: asyncssh.SSHKey | None = None,
    ) -> None:
        self._profiles = {profile.hostname: profile for profile in profiles}
        self.host = host
        self._host_key = host_key
        self._own_host_keys: dict[str, list[asyncssh.SSHKey]] = {}
        self._listeners: dict[str, DeviceListener | TelnetListener] = {}
        self._thread: LoopThread | None = None

    @property
    def profiles(self) -> list[DeviceProfile]:
        return list(self._profiles.values())

    def profile(self, hostname: str) -> DeviceProfile:
        return self._profiles[hostname]

    def peak_sessions(self, hostname: str) -> int:
        """The most SSH sessions the device ever had open at once."""
        return self._listeners[hostname].peak_connections

    def auth_attempts(self, hostname: str) -> list[tuple[str, str]]:
        """Every (username, password) the device was offered, oldest first."""
        return self._listeners[hostname].auth_attempts

    def host_keys(self, hostname: str) -> list[str]:
        """The public host keys the device presents, as `<key type> <base64 key>`."""
        keys = self._own_host_keys.get(hostname) or [self._lab_host_key()]
        return [" ".join(key.export_public_key("openssh").decode().split()[:2]) for key in keys]

    async def set_host_keys(self, hostname: str, *keys: asyncssh.SSHKey) -> None:
        """The device presents these keys from its next connection on (the same port, sessions
        already open stay): a replaced device, or one whose keys were regenerated."""
        assert self._thread is not None, "lab not started"
        listener = self._listeners[hostname]
        assert isinstance(listener, DeviceListener), f"{hostname} serves Telnet: it has no keys"
        self._own_host_keys[hostname] = list(keys)
        await self._thread.run(listener.present(list(keys)))

    def set_config(self, hostname: str, config_text: str) -> None:
        """The device shows the new config from its next command on, in open sessions too."""
        self._profiles[hostname] = dataclasses.replace(
            self._profiles[hostname], config_text=config_text
        )

    async def start(self) -> None:
        self._thread = LoopThread(name="netraven-lab")
        try:
            await self._thread.run(self._open_listeners())
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        listeners, self._listeners = list(self._listeners.values()), {}
        await thread.run(_close_all(listeners))
        await thread.close()

    def _lab_host_key(self) -> asyncssh.SSHKey:
        return self._host_key or load_or_create_host_key()

    async def _open_listeners(self) -> None:
        for hostname, profile in self._profiles.items():
            lookup = functools.partial(self.profile, hostname)
            keys = self._own_host_keys.get(hostname) or [self._lab_host_key()]
            listener: DeviceListener | TelnetListener
            if profile.telnet:
                listener = await TelnetListener.open(lookup, self.host, profile.port)
            else:
                listener = await DeviceListener.open(lookup, self.host, profile.port, keys)
            self._listeners[hostname] = listener
            self._profiles[hostname] = dataclasses.replace(profile, port=listener.port)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()


async def _close_all(listeners: list[DeviceListener | TelnetListener]) -> None:
    await asyncio.gather(*(listener.close() for listener in listeners))
