from netraven_shared.service_app import run_service

from netraven_scheduler.app import build_app
from netraven_scheduler.config import SchedulerSettings


def main() -> None:
    settings = SchedulerSettings()
    run_service("scheduler", settings, settings.health_port, lambda: build_app(settings))


if __name__ == "__main__":
    main()
