class OpenConnections(set):
    """A device's open SSH connections, and the most shells it ever had running at once (tests use
    `peak` to prove that no two sessions to one device overlap).

    The peak counts shells, not accepted connections: a client that closes right before another
    connects is still "open" until this loop reads its goodbye, which on a busy machine can come
    after the next connection's accept. A shell starts only after the next client's key exchange
    and login, by which time the earlier goodbye has been read."""

    def __init__(self) -> None:
        super().__init__()
        self._shells: set[object] = set()
        self.peak = 0

    def shell_started(self, connection: object) -> None:
        if connection in self:
            self._shells.add(connection)
            self.peak = max(self.peak, len(self._shells))

    def discard(self, connection: object) -> None:
        super().discard(connection)
        self._shells.discard(connection)
