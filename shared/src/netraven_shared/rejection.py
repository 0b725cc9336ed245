"""`Rejected`: what a consumer raises for a message it must never act on (malformed, unknown ids,
unstorable). The message is terminated, not redelivered, and recorded as an `EventRejected`."""


class Rejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
