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


class Lab:
    """Serves every profile on host; a profile's port 0 becomes a free port once started.

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
        self._listeners: list[DeviceListener] = []
        self._thread: LoopThread | None = None

    @property
    def profiles(self) -> list[DeviceProfile]:
        return list(self._profiles.values())

    def profile(self, hostname: str) -> DeviceProfile:
        return self._profiles[hostname]

    def peak_sessions(self, hostname: str) -> int:
        """The most SSH sessions the device ever had open at once."""
        return self._listeners[list(self._profiles).index(hostname)].peak_connections

    def set_config(self, hostname: str, config_text: str) -> None:
        """The device shows the new config from its next command on, in open sessions too."""
        self._profiles[hostname] = dataclasses.replace(
            self._profiles[hostname], config_text=config_text
        )

    async def start(self) -> None:
        host_key = self._host_key or load_or_create_host_key()
        self._thread = LoopThread(name="netraven-lab")
        try:
            await self._thread.run(self._open_listeners(host_key))
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        listeners, self._listeners = self._listeners, []
        await thread.run(_close_all(listeners))
        await thread.close()

    async def _open_listeners(self, host_key: asyncssh.SSHKey) -> None:
        for hostname, profile in self._profiles.items():
            lookup = functools.partial(self.profile, hostname)
            listener = await DeviceListener.open(lookup, self.host, profile.port, host_key)
            self._listeners.append(listener)
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


async def _close_all(listeners: list[DeviceListener]) -> None:
    await asyncio.gather(*(listener.close() for listener in listeners))
