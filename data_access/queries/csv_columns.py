"""Columns that several CSVs share: one per custom profile field and one per group the exporter administers
or coaches (metrics.md, "Who sees what")."""

from __future__ import annotations

from sqlalchemy import select

from data_access import schema
from data_access.scope import Scope, visible_groups


def custom_fields(conn) -> list[str]:
    """Every custom field name of the platform, alphabetically (kept at import: user_field_names)."""
    names = schema.user_field_names
    return list(conn.execute(select(names.c.field).order_by(names.c.field)).scalars())


def exporter_groups(conn, scope: Scope) -> list[dict]:
    """{group_id, name} of the groups the exporter administers or coaches, with descendants (the owner: every
    group), by name."""
    g = schema.groups
    return [dict(r) for r in conn.execute(select(g.c.group_id, g.c.name).where(visible_groups(scope, g.c.group_id))
                                          .order_by(g.c.name, g.c.group_id)).mappings()]
