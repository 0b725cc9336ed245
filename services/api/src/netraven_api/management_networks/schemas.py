from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

Cidr = Annotated[
    str,
    Field(
        min_length=1,
        max_length=49,
        examples=["10.0.0.0/8"],
        description="A network, without host bits",
    ),
]


class ManagementNetworkIn(BaseModel):
    cidr: Cidr
    description: str = Field(default="", max_length=255)


class ManagementNetworksIn(BaseModel):
    """The whole list: what is not in it is removed. An empty list allows any address."""

    networks: list[ManagementNetworkIn] = Field(max_length=1000)


class ManagementNetworkOut(BaseModel):
    id: UUID
    cidr: str
    description: str
    created_at: datetime


class DeviceOutside(BaseModel):
    id: UUID
    hostname: str
    ip_address: str


class ManagementNetworksOut(BaseModel):
    networks: list[ManagementNetworkOut]
    enforced: bool = Field(
        description="False when the list is empty: then devices may have any address"
    )
    devices_outside: list[DeviceOutside] = Field(
        description="Devices whose address is in none of the networks"
    )
