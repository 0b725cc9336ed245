from netraven_shared.settings import NetRavenSettings


class SchedulerSettings(NetRavenSettings):
    health_port: int = 8101
    tick_seconds: float = 1.0
