"""The bus identity table of docs/security.md, rendered from the permission matrix in
`netraven_shared.bus_identities` (a test keeps the two in sync)."""

from netraven_shared.bus_identities import IDENTITIES, site_identity


def _cell(items: list[str]) -> str:
    return ", ".join(f"`{item}`" for item in items) or "none"


def permission_table() -> str:
    """The matrix as a markdown table, with a remote site's identity as the pattern every site
    follows."""
    rows = [
        (
            "| identity | publishes | requests | serves | subscribes | "
            "durable consumers | KV buckets | object stores | owns streams |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for identity in (*IDENTITIES.values(), site_identity("<site>")):
        durables = [f"{durable.name} ({durable.subject})" for durable in identity.durables]
        kv = [f"{bucket}: {access}" for bucket, access in identity.kv.items()]
        objects = [f"{bucket}: {access}" for bucket, access in identity.objects.items()]
        cells = (
            (*identity.publishes, *identity.announces),
            identity.requests,
            identity.serves,
            (*identity.subscribes, *identity.announces),
            durables,
            kv,
            objects,
            identity.owns_streams,
        )
        rows.append(
            f"| {identity.name} | " + " | ".join(_cell(list(cell)) for cell in cells) + " |"
        )
    return "\n".join(rows) + "\n"
