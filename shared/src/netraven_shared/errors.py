"""One error family that carries its HTTP status; the api renders it as `{"error", "detail"}`."""

from typing import Any


class NetRavenError(Exception):
    status = 400

    def __init__(self, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class InvalidInput(NetRavenError):
    status = 422


class NotAuthenticated(NetRavenError):
    status = 401


class Forbidden(NetRavenError):
    status = 403


class NotFound(NetRavenError):
    status = 404


class Conflict(NetRavenError):
    status = 409


class Unavailable(NetRavenError):
    status = 503


class TooManyRequests(NetRavenError):
    status = 429

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message, {"retry_after_seconds": retry_after_seconds})
        self.retry_after_seconds = retry_after_seconds
