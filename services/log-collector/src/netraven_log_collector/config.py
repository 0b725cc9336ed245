from netraven_shared.settings import NetRavenSettings


class LogCollectorSettings(NetRavenSettings):
    health_port: int = 8103
    batch_size: int = 200
