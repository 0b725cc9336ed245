"""The platforms devices may name: the api's one driver catalog, loaded at startup."""

from netraven_shared.drivers.catalog import DriverCatalog

from netraven_api.errors import InvalidInputWithFields
from netraven_api.platforms.schemas import DriverFileErrorOut, PlatformList, PlatformOut


class UnsupportedPlatform(InvalidInputWithFields):
    def __init__(self, device_type: str, supported: list[str]) -> None:
        message = unsupported_message(device_type, supported)
        super().__init__(message, message, platforms=supported)


def unsupported_message(device_type: str, supported: list[str]) -> str:
    return f"device_type: no driver for '{device_type}' (supported: {', '.join(supported)})"


def platform_names(catalog: DriverCatalog) -> list[str]:
    return [platform.spec.platform for platform in catalog.platforms()]


def require_platform(catalog: DriverCatalog, device_type: str) -> None:
    supported = platform_names(catalog)
    if device_type not in supported:
        raise UnsupportedPlatform(device_type, supported)


def platform_list(catalog: DriverCatalog) -> PlatformList:
    return PlatformList(
        platforms=[
            PlatformOut(
                platform=platform.spec.platform,
                description=platform.description,
                source=platform.source,
                netmiko_device_type=platform.spec.netmiko_device_type,
                input=platform.spec.input,
                outputs=[output.name for output in platform.spec.outputs],
                facts=[fact.name for fact in platform.spec.facts],
            )
            for platform in catalog.platforms()
        ],
        errors=[
            DriverFileErrorOut(file=error.file, field=error.field, message=error.message)
            for error in catalog.errors
        ],
    )
