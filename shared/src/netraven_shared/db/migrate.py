"""Bring a database to the newest schema: `python -m netraven_shared.db.migrate`.

Uses `NETRAVEN_DATABASE_URL`.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config

from netraven_shared.settings import NetRavenSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def upgrade(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")


if __name__ == "__main__":
    upgrade(NetRavenSettings().database_url)
