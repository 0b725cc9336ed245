from netraven_shared.service_app import run_service

from netraven_notifier.app import build_app
from netraven_notifier.config import NotifierSettings


def main() -> None:
    settings = NotifierSettings()
    run_service("notifier", settings, settings.health_port, lambda: build_app(settings))


if __name__ == "__main__":
    main()
