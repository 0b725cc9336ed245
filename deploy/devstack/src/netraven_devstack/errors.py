"""The errors the embedded servers raise, each telling the developer what to do next."""


class DevstackError(RuntimeError):
    """A local server could not be started or used."""


class PortInUseError(DevstackError):
    """The port a server was told to use is already taken."""


class ServerStartError(DevstackError):
    """A server process exited or never became ready; the message carries its log tail."""


class PostgresNotFoundError(DevstackError):
    """Neither system PostgreSQL binaries nor the bundled fallback are installed."""
