from tests.shared.database_logins import logins, owner

__all__ = ["logins", "owner"]
