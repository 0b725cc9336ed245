from typing import Literal

from netraven_shared.drivers.spec import Input
from pydantic import BaseModel, Field


class PlatformOut(BaseModel):
    platform: str = Field(description="The device_type devices name", examples=["cisco_ios"])
    description: str
    source: Literal["built-in", "local"] = Field(
        description="`local`: a driver file from the drivers directory (NETRAVEN_DRIVERS_DIR)"
    )
    netmiko_device_type: str
    input: Input = Field(
        description="How the config is read: `cli` (Netmiko over SSH), `panos_xml_api` (HTTPS) "
        "or `netconf` (get-config over SSH)"
    )
    outputs: list[str] = Field(
        default=[],
        description="The driver's extra outputs, each kept beside the config (`version`, ...)",
    )
    facts: list[str] = Field(
        default=[], description="The facts the driver reads: model, serial_number, os_version"
    )


class DriverFileErrorOut(BaseModel):
    file: str
    field: str = Field(description="The field that failed; empty when the whole file did")
    message: str


class PlatformList(BaseModel):
    platforms: list[PlatformOut]
    errors: list[DriverFileErrorOut] = Field(
        description="The driver files that did not load; every other driver loaded"
    )
