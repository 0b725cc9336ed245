"""Build FastAPI's routing before the first request does.

FastAPI (0.16x) builds an included router's routes (each endpoint's dependencies, read from its
signature) the first time a request walks past them: a quarter to a third of a second of CPU,
paid by the first operator's request after a start. One walk at start, with a path no route
takes, builds them all.
"""

from fastapi import FastAPI

NO_ROUTE_TAKES = "/api/\0"


def build_routes(app: FastAPI) -> None:
    scope = {"type": "http", "method": "GET", "path": NO_ROUTE_TAKES, "root_path": "", "app": app}
    for route in app.router.routes:
        route.matches(scope)
