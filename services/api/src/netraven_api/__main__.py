"""`python -m netraven_api` serves the api; `python -m netraven_api credential-keys ...` manages the
credential key ring (credentials/cli.py)."""

import argparse
import sys

from netraven_shared.metrics.exposition import serve_metrics_port
from netraven_shared.service_app import serve
from netraven_shared.tracing.provider import configure_tracing

from netraven_api.app import create_app
from netraven_api.config import ApiSettings
from netraven_api.credentials import cli as credential_keys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m netraven_api",
        description="The NetRaven api; without a command it serves HTTP.",
    )
    credential_keys.add_commands(parser.add_subparsers(dest="command"))
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        settings = ApiSettings()
        configure_tracing("api")
        if settings.metrics_port:
            serve_metrics_port(settings.health_host, settings.metrics_port)
        serve("api", settings, create_app(settings), settings.host, settings.port)
        return 0
    code: int = arguments.run(arguments)
    return code


if __name__ == "__main__":
    sys.exit(main())
