from netraven_shared.service_app import run_service
from netraven_worker.app import build_app
from netraven_worker.config import WorkerSettings


def main() -> None:
    settings = WorkerSettings()
    run_service("worker", settings, settings.health_port, lambda: build_app(settings))


if __name__ == "__main__":
    main()
