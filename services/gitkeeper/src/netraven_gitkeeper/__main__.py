from netraven_gitkeeper.app import build_app
from netraven_gitkeeper.config import GitkeeperSettings
from netraven_shared.service_app import run_service


def main() -> None:
    settings = GitkeeperSettings()
    run_service("gitkeeper", settings, settings.health_port, lambda: build_app(settings))


if __name__ == "__main__":
    main()
