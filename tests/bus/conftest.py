from tests.bus.identity_clients import as_identity

__all__ = ["as_identity"]
