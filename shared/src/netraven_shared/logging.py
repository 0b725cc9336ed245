"""Structured logging for every service: JSON off a TTY, readable on one.

Libraries log through the standard library (Paramiko from its transport thread, asyncssh, uvicorn,
`warnings`); their records are rendered by the same renderer as the service's own, so a log
shipper reading JSON never meets a bare traceback line.
"""

import logging
import sys
import threading
from types import TracebackType

import structlog

# Paramiko reports a misbehaving device as ERROR records, a traceback one line per record, from its
# transport thread; the session already turns the same failure into one operator reason. Its records
# show (as JSON) when the service logs at DEBUG.
_QUIET_UNLESS_DEBUG = ("paramiko",)


def configure_logging(service: str, level: str = "INFO", log_format: str = "auto") -> None:
    use_json = log_format == "json" or (log_format == "auto" and not sys.stderr.isatty())
    renderer = structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer()
    service_level = logging.getLevelName(level.upper())
    stamped: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        _naming(service),
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*stamped, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(service_level),
        # One write per line (print() writes the newline apart): a Paramiko record from another
        # thread cannot land between a line and its newline.
        logger_factory=structlog.WriteLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    _route_standard_logging(renderer, stamped, debug=service_level <= logging.DEBUG)
    threading.excepthook = _log_crashed_thread
    sys.excepthook = _log_crashed_process


def _naming(service: str) -> structlog.types.Processor:
    """Every record names its service, also from threads that do not share the main one's
    context."""

    def add_service(
        _logger: object, _method: str, event: structlog.types.EventDict
    ) -> structlog.types.EventDict:
        event.setdefault("service", service)
        return event

    return add_service


def _route_standard_logging(
    renderer: structlog.types.Processor, stamped: list[structlog.types.Processor], debug: bool
) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*stamped, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    logging.captureWarnings(True)
    logging.getLogger("faststream").setLevel(logging.WARNING)
    for name in _QUIET_UNLESS_DEBUG:
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.CRITICAL)


def _log_crashed_thread(args: threading.ExceptHookArgs) -> None:
    thread = args.thread.name if args.thread else "unknown"
    structlog.get_logger().critical(
        "thread.crashed",
        thread=thread,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )


def _log_crashed_process(
    kind: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    structlog.get_logger().critical("process.crashed", exc_info=(kind, error, traceback))
