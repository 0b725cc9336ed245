"""`python -m netraven_api.openapi_schema PATH` writes the api's OpenAPI document to PATH (or
stdout).

The frontend generates its TypeScript types from this file. Building the app opens no connection
(the database engine and the broker connect on startup), so no server has to run; the schema is
built with development settings so the environment cannot change it.
"""

import argparse
import json
import sys
from pathlib import Path

from netraven_api.app import create_app
from netraven_api.config import ApiSettings


def openapi_document() -> dict[str, object]:
    return create_app(ApiSettings.model_construct()).openapi()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m netraven_api.openapi_schema")
    parser.add_argument(
        "path", nargs="?", type=Path, help="where to write the JSON (default: stdout)"
    )
    arguments = parser.parse_args(argv)
    text = json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n"
    if arguments.path is None:
        sys.stdout.write(text)
    else:
        arguments.path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
