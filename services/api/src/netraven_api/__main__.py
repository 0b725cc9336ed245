from netraven_api.app import create_app
from netraven_api.config import ApiSettings
from netraven_shared.service_app import serve


def main() -> None:
    settings = ApiSettings()
    serve("api", settings, create_app(settings), settings.host, settings.port)


if __name__ == "__main__":
    main()
