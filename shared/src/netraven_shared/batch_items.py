"""What a `BatchConsumer` is given and holds: `Parse` turns a message's bytes into an item (`parsed_as`
for a pydantic model), `Write` stores a batch of items in one transaction, and `InHand` keeps each
item with the message it came from until that message is acked, terminated or handed back."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from nats.aio.msg import Msg
from pydantic import BaseModel

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

Parse = Callable[[bytes], Awaitable[T]]
Write = Callable[[list[T]], Awaitable[None]]


def parsed_as(model: type[M]) -> Parse[M]:
    async def parse(data: bytes) -> M:
        return model.model_validate_json(data)

    return parse


@dataclass(frozen=True)
class InHand(Generic[T]):
    message: Msg
    item: T
