"""Who may do what in PostgreSQL: one group role per service, and the table privileges it holds.

The migrations render their GRANTs from this matrix, `make docs` renders the table of
docs/operations.md from it, and tests/shared/test_service_roles.py tries every privilege of every
role on every table. Grants are table-level, so a new column needs no change here; a new table
does: add it to the matrix, and grant it in the migration that creates it (`op.execute` each of
`grant_statements(["new_table"])`). Default privileges are never used, so a table nobody granted
stays the owner's alone.

The roles are NOLOGIN groups; each deployment creates one login per service that is a member of its
group (`netraven_shared.db.service_logins`). Roles live in the cluster, grants in each database.
"""

from collections.abc import Iterable

READ = ("SELECT",)
INDEX = ("SELECT", "INSERT", "UPDATE")
OWN = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Entries are never edited; only the retention sweep deletes them.
AUDIT = ("SELECT", "INSERT", "DELETE")
# INSERT ... ON CONFLICT (event_id) reads the conflict column, so appending needs SELECT too; the
# retention sweep deletes what is past its time.
APPEND_AND_EXPIRE = ("SELECT", "INSERT", "DELETE")

ROLES = {
    "api": "netraven_api",
    "scheduler": "netraven_scheduler",
    "worker": "netraven_worker",
    "gitkeeper": "netraven_gitkeeper",
    "log-collector": "netraven_log_collector",
    "notifier": "netraven_notifier",
}

# The BIGSERIAL ids: whoever inserts into the table draws from its sequence.
ID_SEQUENCES = {
    "logs": "logs_id_seq",
    "config_versions": "config_versions_id_seq",
    "outbox": "outbox_id_seq",
    "rejected_events": "rejected_events_id_seq",
    "audit_entries": "audit_entries_id_seq",
    "notification_deliveries": "notification_deliveries_id_seq",
}

CREATEROLE_HINT = (
    "Run migrations as a role with CREATEROLE (ALTER ROLE <owner> CREATEROLE), "
    "or have an administrator create the"
    f" NOLOGIN roles {', '.join(ROLES.values())} first."
)

_INVENTORY = (
    "users",
    "tags",
    "devices",
    "device_tags",
    "credentials",
    "credential_tags",
    "management_networks",
    "config_filters",
    "config_filter_versions",
    "jump_hosts",
    "inventory_sources",
    "jobs",
    "job_devices",
    "job_tags",
    "notification_channels",
    "notification_rules",
    "notification_rule_tags",
)

# Rules, on-demand checks and evaluations: the api evaluates and records, alone.
COMPLIANCE_TABLES = (
    "compliance_rules",
    "compliance_rule_tags",
    "compliance_checks",
    "compliance_evaluations",
)

# Remote sites and their public keys: the api seals each site's requests with them, alone.
SITE_TABLES = ("sites",)

GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    # Inventory, users, jobs, runs and the outbox are the api's; it reads what the others record.
    # Deleting a device cascades to its config versions as their table's owner, not as the api.
    "api": {
        **dict.fromkeys(_INVENTORY, OWN),
        "runs": OWN,
        "run_results": OWN,
        "outbox": OWN,
        "api_tokens": OWN,
        "audit_entries": AUDIT,
        "config_versions": READ,
        "logs": READ,
        "rejected_events": READ,
        "notification_deliveries": READ,
        **dict.fromkeys(COMPLIANCE_TABLES, OWN),
        **dict.fromkeys(SITE_TABLES, OWN),
    },
    # Due slots: the enabled jobs, and which slots already have a run. The api starts the runs.
    "scheduler": {"jobs": READ, "runs": READ},
    # A device, its tags, the credentials sharing one, its newest config size, whether its result is
    # settled, the networks it may be reached on, its jump host and the operators' filters for its
    # config. Workers write nothing but events.
    "worker": dict.fromkeys(
        (
            "devices",
            "device_tags",
            "tags",
            "credentials",
            "credential_tags",
            "config_versions",
            "run_results",
            "management_networks",
            "config_filters",
            "jump_hosts",
        ),
        READ,
    ),
    # The version index is gitkeeper's; it admits a backup by its run, result and device.
    "gitkeeper": {"config_versions": INDEX, "devices": READ, "runs": READ, "run_results": READ},
    # Appends log lines and rejected events, each once (by event id); its retention sweep deletes
    # the old ones.
    "log-collector": {"logs": APPEND_AND_EXPIRE, "rejected_events": APPEND_AND_EXPIRE},
    # Channels and rules to route by, devices and their tags to scope them and find the stale, the
    # last good result of each; the delivery log is its own.
    "notifier": {
        **dict.fromkeys(
            (
                "notification_channels",
                "notification_rules",
                "notification_rule_tags",
                "devices",
                "device_tags",
                "tags",
                "runs",
                "run_results",
            ),
            READ,
        ),
        "notification_deliveries": OWN,
    },
}


def granted(service: str, table: str) -> tuple[str, ...]:
    return GRANTS[service].get(table, ())


def create_roles_statement() -> str:
    """Create every group role that does not exist yet. Several databases share a cluster and may
    migrate at once, so a role another migration just created is not an error; roles an
    administrator created need no CREATEROLE."""
    blocks = [
        f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN"
        f" BEGIN CREATE ROLE {role} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation"
        " THEN NULL; END; END IF;"
        for role in ROLES.values()
    ]
    return (
        "DO $$ BEGIN "
        + " ".join(blocks)
        + " EXCEPTION WHEN insufficient_privilege THEN RAISE EXCEPTION "
        "'% may not create the NetRaven service roles', current_user "
        f"USING HINT = '{CREATEROLE_HINT}'; END $$"
    )


def grant_statements(tables: Iterable[str]) -> list[str]:
    """Revoke every role's privileges on `tables`, then grant exactly what the matrix says."""
    tables = list(tables)
    statements = revoke_statements(tables)
    for service, role in ROLES.items():
        for table in tables:
            privileges = granted(service, table)
            if privileges:
                statements.append(f"GRANT {', '.join(privileges)} ON TABLE {table} TO {role}")
            if "INSERT" in privileges and table in ID_SEQUENCES:
                statements.append(f"GRANT USAGE ON SEQUENCE {ID_SEQUENCES[table]} TO {role}")
    return statements


def revoke_statements(tables: Iterable[str]) -> list[str]:
    tables = list(tables)
    roles = ", ".join(ROLES.values())
    statements = [f"REVOKE ALL ON TABLE {', '.join(tables)} FROM {roles}"]
    sequences = [ID_SEQUENCES[table] for table in tables if table in ID_SEQUENCES]
    if sequences:
        statements.append(f"REVOKE ALL ON SEQUENCE {', '.join(sequences)} FROM {roles}")
    return statements


def connect_statement() -> str:
    """CONNECT on the database being migrated, even where PUBLIC lost it."""
    return (
        "DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO "
        + ", ".join(ROLES.values())
        + "', current_database()); END $$"
    )


def grants_table() -> str:
    """The matrix as the markdown table docs/operations.md shows (a test keeps the two in sync)."""
    tables = sorted({table for grants in GRANTS.values() for table in grants})
    rows = [
        "| table | "
        + " | ".join(f"{service} (`{role}`)" for service, role in ROLES.items())
        + " |",
        "|---|" + "---|" * len(ROLES),
    ]
    for table in tables:
        cells = [", ".join(granted(service, table)) or "–" for service in ROLES]
        rows.append(f"| `{table}` | " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"
