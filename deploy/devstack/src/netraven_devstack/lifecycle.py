from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self


class StartStop(ABC):
    """A server that `with server:` starts, and stops on the way out however the block ends."""

    @abstractmethod
    def start(self) -> None: ...

    @abstractmethod
    def stop(self) -> None: ...

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
