from netraven_shared.events.service_status import ServiceStatus


class ServiceOut(ServiceStatus):
    """One service process, as its latest heartbeat describes it."""
