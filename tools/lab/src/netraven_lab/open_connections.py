class OpenConnections(set):
    """A device's open SSH connections, remembering the most it ever had at once (tests use
    `peak` to prove that no two sessions to one device overlap)."""

    def __init__(self) -> None:
        super().__init__()
        self.peak = 0

    def add(self, connection: object) -> None:
        super().add(connection)
        self.peak = max(self.peak, len(self))
