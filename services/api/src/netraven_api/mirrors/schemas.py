from netraven_shared.events.mirror_status import MirrorStatus
from pydantic import BaseModel


class MirrorOut(MirrorStatus):
    """One git mirror of the config repository, as gitkeeper last described it (no secret)."""


class MirrorsOut(BaseModel):
    items: list[MirrorOut]
