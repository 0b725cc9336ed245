"""The NATS permissions of each bus identity: the exact subjects, JetStream API calls included, that
`netraven_devstack.nats_config` writes into the server configuration for the matrix in
`bus_identities`.
"""

from netraven_shared.bus_identities import Access, Durable, Identity, ObjectAccess

_API = "$JS.API"


def _durable_subjects(durable: Durable) -> list[str]:
    stream, name = durable.stream, durable.name
    return [
        f"{_API}.CONSUMER.CREATE.{stream}.{name}.{durable.subject}",
        f"{_API}.CONSUMER.DURABLE.CREATE.{stream}.{name}",
        f"{_API}.CONSUMER.INFO.{stream}.{name}",
        f"{_API}.CONSUMER.MSG.NEXT.{stream}.{name}",
        f"$JS.ACK.{stream}.{name}.>",
    ]


def _ephemeral_consumer_subjects(stream: str, filter_subject: str) -> list[str]:
    """Listing keys or reading an object: a short-lived consumer delivering to the private inbox."""
    return [
        f"{_API}.CONSUMER.CREATE.{stream}",
        f"{_API}.CONSUMER.CREATE.{stream}.*.{filter_subject}",
        f"{_API}.CONSUMER.INFO.{stream}.*",
        f"{_API}.CONSUMER.DELETE.{stream}.*",
    ]


def _stream_subjects(stream: str, owner: bool) -> list[str]:
    calls = ("INFO", "CREATE", "UPDATE") if owner else ("INFO",)
    return [f"{_API}.STREAM.{call}.{stream}" for call in calls]


def _kv_subjects(bucket: str, access: Access, identity: str) -> list[str]:
    stream = f"KV_{bucket}"
    keys = f"{identity}.>" if access == "write" else ">"
    allowed = _stream_subjects(stream, owner=access == "own")
    if access in ("own", "use", "write"):
        allowed.append(f"$KV.{bucket}.{keys}")
    if access in ("own", "use", "read"):
        allowed += [f"{_API}.STREAM.MSG.GET.{stream}", f"{_API}.DIRECT.GET.{stream}.$KV.{bucket}.>"]
        allowed += _ephemeral_consumer_subjects(stream, f"$KV.{bucket}.>")
    return allowed


def _object_subjects(bucket: str, access: ObjectAccess) -> list[str]:
    stream = f"OBJ_{bucket}"
    # nats-py looks an object's metadata up with STREAM.MSG.GET, which the server cannot narrow to
    # metadata subjects: a writer can fetch stored chunks one by one, though not `get` an object
    allowed = _stream_subjects(stream, owner=access.startswith("own")) + [
        f"{_API}.STREAM.MSG.GET.{stream}"
    ]
    if access in ("own-write", "put"):
        allowed += [f"$O.{bucket}.C.>", f"$O.{bucket}.M.>"]
    if access in ("own-read", "read"):
        allowed += _ephemeral_consumer_subjects(stream, f"$O.{bucket}.C.>")
    if access == "own-read":
        allowed.append(f"$O.{bucket}.M.>")  # deleting an object writes its tombstone
    if access.startswith("own"):
        allowed.append(f"{_API}.STREAM.PURGE.{stream}")  # deleting an object purges its chunks
    return allowed


def permissions(identity: Identity) -> dict:
    """The `permissions` block of this identity's user in the server configuration."""
    publish = [
        *identity.publishes,
        *identity.announces,
        *identity.requests,
        f"{_API}.INFO",
        f"{_API}.STREAM.NAMES",  # names only, no data
    ]
    subscribe = [
        f"{identity.inbox_prefix}.>",
        *identity.subscribes,
        *identity.announces,
        *identity.serves,
    ]
    for stream in identity.owns_streams:
        publish += _stream_subjects(stream, owner=True)
    for stream in identity.uses_streams:
        publish += _stream_subjects(stream, owner=False)
    for durable in identity.durables:
        publish += _durable_subjects(durable)
    for bucket, access in identity.kv.items():
        publish += _kv_subjects(bucket, access, identity.name)
    for bucket, object_access in identity.objects.items():
        publish += _object_subjects(bucket, object_access)
    allowed: dict = {
        "publish": {"allow": list(dict.fromkeys(publish))},
        "subscribe": {"allow": list(dict.fromkeys(subscribe))},
    }
    if identity.serves:
        allowed["allow_responses"] = True
    return allowed


def test_permissions() -> dict:
    """The test suite's identity: everything but deleting streams."""
    return {
        "publish": {"allow": [">"], "deny": [f"{_API}.STREAM.DELETE.>"]},
        "subscribe": {"allow": [">"]},
        "allow_responses": True,
    }
