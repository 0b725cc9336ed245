from netraven_shared.service_app import run_service

from netraven_log_collector.app import build_app
from netraven_log_collector.config import LogCollectorSettings


def main() -> None:
    settings = LogCollectorSettings()
    run_service("log-collector", settings, settings.health_port, lambda: build_app(settings))


if __name__ == "__main__":
    main()
