from tests.shared.database_logins import logins, owner
from tests.shared.tracing_capture import spans

__all__ = ["logins", "owner", "spans"]
