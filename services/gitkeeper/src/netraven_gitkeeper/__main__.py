"""`python -m netraven_gitkeeper` runs the service; `... redact-history [--dry-run]` re-redacts the
stored configs."""

import argparse
import asyncio

from netraven_shared.db.session import create_engine, session_factory
from netraven_shared.drivers.catalog import load_catalog_logging_errors
from netraven_shared.service_app import run_service

from netraven_gitkeeper.app import build_app
from netraven_gitkeeper.config import GitkeeperSettings
from netraven_gitkeeper.config_repo import ConfigRepository
from netraven_gitkeeper.redact_history import redact_history


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m netraven_gitkeeper")
    commands = parser.add_subparsers(dest="command")
    redact = commands.add_parser(
        "redact-history",
        help=(
            "take every config at HEAD through today's redaction rules; "
            "one commit per changed device"
        ),
    )
    redact.add_argument(
        "--dry-run", action="store_true", help="say what would change; write nothing"
    )
    arguments = parser.parse_args()
    settings = GitkeeperSettings()
    if arguments.command == "redact-history":
        raise SystemExit(asyncio.run(_redact_history(settings, arguments.dry_run)))
    run_service("gitkeeper", settings, settings.health_port, lambda: build_app(settings))


async def _redact_history(settings: GitkeeperSettings, dry_run: bool) -> int:
    if not (settings.repo_path / "HEAD").exists() and not (settings.repo_path / ".git").exists():
        print(
            f"no config repository at {settings.repo_path}: set NETRAVEN_REPO_PATH to gitkeeper's"
        )
        return 1
    catalog = load_catalog_logging_errors(settings.drivers_dir)
    engine = create_engine(settings.database_url)
    try:
        repo, sessions = ConfigRepository(settings.repo_path), session_factory(engine)
        await redact_history(repo, sessions, catalog, dry_run)
    finally:
        await engine.dispose()
    return 0


if __name__ == "__main__":
    main()
