class RetryLater(Exception):
    """Hand the request back to JetStream: it is delivered again after `delay` seconds."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"retry in {delay:.0f} s")
        self.delay = delay
