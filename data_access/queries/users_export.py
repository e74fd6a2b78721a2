"""The data of the four user CSVs (metrics.md, "Users"): Users, General stats, one user's general stats and
Registrations. Each file is read 2,000 users at a time along user_stats' name index, every batch resuming
after the last key of the one before (keyset paging: no sort, no OFFSET, no list of ids), one query per
batch with the custom fields, groups and managers as correlated lookups, so the file of a 100k-user platform
streams with level memory.

General stats without a date window or session filter read the derived user_stats; with one, the same
figures are computed per batch by data_access.user_metrics (the statements that fill user_stats).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, tuple_

from data_access import grid_filters, schema, scope_counts, user_metrics
from data_access.queries.csv_columns import custom_fields, exporter_groups
from data_access.scope import (
    Scope,
    administered_users,
    may_see_registrations,
    require_session,
    require_user,
    visible_groups,
    visible_sessions,
    visible_users,
)

BATCH = 2000
US = schema.user_stats
# the files' order: last name, first name, email (user_stats' index ix_user_stats_name, no sort)
ORDER = [US.c.last_name, US.c.first_name, US.c.email, US.c.user_id]
KEY = ("last_name", "first_name", "email", "user_id")
SEP = "\x1f"  # between the values aggregated into one cell of a batch query (never in an id or an email)
DAY = timedelta(days=1)


class NotAllowed(LookupError):
    """A report the viewer may not have: answered like a missing one (404 on the route, exit 2 on the CLI)."""


def plan(conn, scope: Scope) -> dict:
    """The columns that vary: custom fields and the exporter's groups."""
    return {"fields": custom_fields(conn), "groups": exporter_groups(conn, scope)}


def _keyset(conn, stmt, limit: int | None = None) -> Iterator[dict]:
    """The rows of `stmt` (a select over user_stats with the KEY columns) in file order, BATCH at a time."""
    after = None
    left = limit
    while left is None or left > 0:
        size = BATCH if left is None else min(BATCH, left)
        page = stmt if after is None else stmt.where(tuple_(*ORDER) > tuple_(*after))
        result = conn.execute(page.order_by(*ORDER).limit(size))
        keys = list(result.keys())
        rows = [dict(zip(keys, r, strict=True)) for r in result.all()]  # plain dicts: cheap to extend
        yield from rows
        if len(rows) < size:
            return
        after = tuple(rows[-1][k] for k in KEY)
        left = None if left is None else left - len(rows)


def _looked_up(fields: list[str]) -> list:
    """Per user of the batch query: each custom field's value, and their group ids joined by SEP."""
    uf, m = schema.user_fields, schema.memberships
    values = [select(uf.c.value).where(uf.c.user_id == US.c.user_id, uf.c.field == name).scalar_subquery()
              .label(label) for name, label in zip(fields, _field_labels(fields), strict=True)]
    groups = (select(func.aggregate_strings(m.c.group_id, SEP)).where(m.c.user_id == US.c.user_id)
              .scalar_subquery().label("group_ids"))
    return [*values, groups]


def _unpacked(row: dict, labels: list[str]) -> dict:
    """The batch query's row with its custom fields' values as a list (in the order of the plan's fields,
    whose _field_labels are `labels`) and its groups as a set (in place)."""
    row["fields"] = [row[label] for label in labels]
    ids = row["group_ids"]
    row["groups"] = set(ids.split(SEP)) if ids else set()
    return row


def _field_labels(fields: list[str]) -> list[str]:
    return [f"field_{i}" for i in range(len(fields))]


def users_rows(conn, scope: Scope, now: datetime, fields: list[str], deleted: bool = False) -> Iterator[dict]:
    """Users CSV: every current (or deleted) user the viewer sees, by last name, first name, email."""
    u = schema.users
    stmt = (select(US.c.user_id, US.c.first_name, US.c.last_name, US.c.email, u.c.title, u.c.additional_info,
                   US.c.time_spent_s, US.c.last_activity_at, US.c.direct_reports, *_looked_up(fields))
            .join(u, u.c.user_id == US.c.user_id)
            .where(US.c.deleted == (1 if deleted else 0), visible_users(scope, US.c.user_id)))
    labels = _field_labels(fields)
    return (_unpacked(r, labels) for r in _keyset(conn, stmt))


# --- General stats ----------------------------------------------------------------------------------------
def parse_window(since: str | None, until: str | None) -> user_metrics.Window | None:
    """The --since/--until window in epoch seconds [since, until). A date (YYYY-MM-DD) is a whole day in UTC,
    both ends included; a timestamp is that second (until included). ValueError on bad input or since > until."""
    def parse(text: str, name: str, end: bool) -> int:
        value = text.strip()
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValueError(f"--{name}: not a date (YYYY-MM-DD) or ISO 8601 timestamp: {text!r}") from exc
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        day_only = re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
        if end:
            moment += DAY if day_only else timedelta(seconds=1)
        return int(moment.timestamp())

    start = parse(since, "since", False) if since else None
    stop = parse(until, "until", True) if until else None
    if start is not None and stop is not None and start >= stop:
        raise ValueError(f"--since {since} is after --until {until}: the date range is empty")
    return None if start is None and stop is None else (start, stop)


def general_filters(conn, scope: Scope, groups=(), users=(), sessions=()) -> list:
    """SQL conditions over user_stats for the General stats filters (each narrows; repeated ones are
    unions); LookupError for a group, user or session the viewer does not see."""
    narrow = _narrowing(conn, scope, groups, users, sessions)
    return [US.c.deleted == 0, visible_users(scope, US.c.user_id), *narrow(US.c.user_id)]


def _narrowing(conn, scope: Scope, groups=(), users=(), sessions=()):
    """The filters' conditions on a user id column, as a function of that column (the filters checked once: a
    LookupError for a group, user or session the viewer does not see)."""
    m, gc, e, g = schema.memberships, schema.group_closure, schema.enrollments, schema.groups
    if groups:
        seen = set(conn.execute(select(g.c.group_id).where(g.c.group_id.in_(groups),
                                                           visible_groups(scope, g.c.group_id))).scalars())
        for gid in groups:
            if gid not in seen:
                raise LookupError(f"no group {gid!r}" + ("" if scope.is_owner else " visible to this user"))
    for uid in users:
        require_user(conn, scope, uid)
    for sid in sessions:
        require_session(conn, scope, sid)

    def on(user_col) -> list:
        conditions = []
        if groups:
            conditions.append(user_col.in_(select(m.c.user_id).join(gc, gc.c.descendant_id == m.c.group_id)
                                           .where(gc.c.ancestor_id.in_(groups))))
        if users:
            conditions.append(user_col.in_(list(users)))
        if sessions:
            conditions.append(user_col.in_(select(e.c.user_id).where(e.c.session_id.in_(list(sessions)))))
        return conditions
    return on


def _count(conn, scope: Scope, conditions: list) -> int:
    """How many current users the viewer sees match `conditions` (on scope_users.user_id), counted in the scope
    facts (scope_users: the viewer's keys, their deleted flag) rather than over user_stats."""
    su = schema.scope_users
    ids = scope_counts.users_of(scope).where(su.c.deleted == 0, *conditions)
    if len(scope_counts.keys(scope)) > 1:
        ids = ids.distinct()
    return int(conn.execute(select(func.count()).select_from(ids.subquery())).scalar_one())


def _managers():
    mg, u = schema.managers, schema.users
    return (select(func.aggregate_strings(u.c.email, SEP)).join(mg, mg.c.manager_id == u.c.user_id)
            .where(mg.c.user_id == US.c.user_id).scalar_subquery().label("manager_emails"))


def general_rows(conn, conditions: list, fields: list[str], sessions=(), window: user_metrics.Window | None = None,
                 limit: int | None = None) -> Iterator[dict]:
    """General stats lines of the users matching `conditions` (general_filters), in file order (the first
    `limit` only, for a preview)."""
    u = schema.users
    derived = window is None and not sessions
    metrics = [US.c.avg_score, US.c.total_time_s, US.c.posts, *[US.c[c] for c in user_metrics.PROGRAM_COUNTS]]
    stmt = (select(US.c.user_id, US.c.first_name, US.c.last_name, US.c.email, u.c.additional_info, _managers(),
                   *metrics, *_looked_up(fields))
            .join(u, u.c.user_id == US.c.user_id).where(*conditions))
    batch: list[dict] = []

    def flush():
        if derived or not batch:
            live = {}
        else:  # the batch as its key range over the index (cheaper than 2,000 bound ids in each subquery)
            first, last = (tuple(batch[i][k] for k in KEY) for i in (0, -1))
            ids = select(US.c.user_id).where(*conditions, tuple_(*ORDER) >= tuple_(*first),
                                             tuple_(*ORDER) <= tuple_(*last))
            live = {r["user_id"]: r for r in conn.execute(user_metrics.report_metrics(
                window, ids, list(sessions) or None, activity=window is not None,
                program_counts=bool(sessions))).mappings()}
        for b in batch:
            yield {**b, **live.get(b["user_id"], {}),
                   "managers": sorted((b["manager_emails"] or "").split(SEP)) if b["manager_emails"] else []}

    labels = _field_labels(fields)
    for row in _keyset(conn, stmt, limit):
        batch.append(_unpacked(row, labels))
        if len(batch) == BATCH:
            yield from flush()
            batch = []
    yield from flush()


def user_general(conn, scope: Scope, now: datetime, user_id: str) -> dict:
    """One user's general stats (the user page's Download → Now)."""
    require_user(conn, scope, user_id)
    u, us = schema.users, schema.user_stats
    stats = [c for c in us.c if c.name != "user_id"]
    return dict(conn.execute(select(u.c.user_id, u.c.first_name, u.c.last_name, u.c.email, *stats)
                             .outerjoin(us, us.c.user_id == u.c.user_id)
                             .where(u.c.user_id == user_id)).mappings().one())


def registrations(conn, scope: Scope, now: datetime) -> Iterator[dict]:
    """Registrations: every current user of the groups the viewer administers (the owner: everyone) with their
    account creation, who invited them (email) and their automatic deletion date. Admins and owner only."""
    if not may_see_registrations(scope):
        raise NotAllowed("registrations are for administrators and the platform owner only")
    u = schema.users
    inviter = u.alias("inviter")
    stmt = (select(US.c.user_id, US.c.first_name, US.c.last_name, US.c.email, u.c.registered_at,
                   inviter.c.email.label("invited_by"), u.c.auto_deletion_at)
            .join(u, u.c.user_id == US.c.user_id).outerjoin(inviter, inviter.c.user_id == u.c.invited_by)
            .where(US.c.deleted == 0, administered_users(scope, US.c.user_id)))
    return _keyset(conn, stmt)


# --- the General stats panel of the Users page ------------------------------------------------------------
OPTIONS_SHOWN = 20


def _like(text: str) -> str:
    return "%" + grid_filters._like_escape(text.strip().lower()) + "%"


def group_options(conn, scope: Scope, now: datetime) -> list[dict]:
    """The groups the viewer may filter on (those they administer or coach, with descendants), by name."""
    return [{"label": g["name"], "value": g["group_id"]} for g in exporter_groups(conn, scope)]


def user_options(conn, scope: Scope, now: datetime, search: str = "", keep: tuple = ()) -> list[dict]:
    """Current users the viewer sees whose name or email contains `search` (the first 20), plus `keep`."""
    label = US.c.first_name + " " + US.c.last_name + " · " + US.c.email
    base = select(US.c.user_id, label.label("label")).where(US.c.deleted == 0, visible_users(scope, US.c.user_id))
    out = {}
    if keep:
        out.update({r.user_id: r.label for r in conn.execute(base.where(US.c.user_id.in_(list(keep))))})
    if search and search.strip():
        pattern = _like(search)
        hits = base.where((func.lower(US.c.first_name + " " + US.c.last_name).like(pattern, escape="\\"))
                          | func.lower(US.c.email).like(pattern, escape="\\"))
        out.update({r.user_id: r.label for r in conn.execute(hits.order_by(*ORDER).limit(OPTIONS_SHOWN))})
    return [{"label": text, "value": uid} for uid, text in out.items()]


def session_options(conn, scope: Scope, now: datetime, search: str = "", keep: tuple = ()) -> list[dict]:
    """Sessions the viewer sees whose name or id contains `search` (latest first, the first 20), plus `keep`."""
    s = schema.sessions
    base = select(s.c.session_id, s.c.name).where(visible_sessions(scope, s))
    out = {}
    if keep:
        out.update(dict(conn.execute(base.where(s.c.session_id.in_(list(keep)))).all()))
    if search and search.strip():
        pattern = _like(search)
        hits = base.where(func.lower(s.c.name).like(pattern, escape="\\")
                          | func.lower(s.c.session_id).like(pattern, escape="\\"))
        out.update(dict(conn.execute(hits.order_by(s.c.start_at.desc(), s.c.session_id).limit(OPTIONS_SHOWN)).all()))
    return [{"label": f"{name} ({sid})", "value": sid} for sid, name in out.items()]


def general_preview(conn, scope: Scope, now: datetime, groups=(), users=(), sessions=(), since: str | None = None,
                    until: str | None = None, lines: int = 50) -> dict:
    """What the General stats file holds for these filters: its number of lines, its custom-field and group
    columns, and its first `lines` lines (groups as names). ValueError / LookupError as the export."""
    window = parse_window(since, until)
    columns = plan(conn, scope)
    narrow = _narrowing(conn, scope, tuple(groups), tuple(users), tuple(sessions))
    conditions = [US.c.deleted == 0, visible_users(scope, US.c.user_id), *narrow(US.c.user_id)]
    total = _count(conn, scope, narrow(schema.scope_users.c.user_id))
    names = {g["group_id"]: g["name"] for g in columns["groups"]}
    rows = []
    for r in general_rows(conn, conditions, columns["fields"], tuple(sessions), window, limit=lines):
        rows.append({"user_id": r["user_id"], "last_name": r["last_name"], "first_name": r["first_name"],
                     "email": r["email"], "managers": r["managers"], "avg_score": r["avg_score"],
                     "completed_programs": int(r["completed_programs"]),
                     "assigned_programs": int(r["assigned_programs"]),
                     "posts": int(r["posts"]), "total_time_s": int(r["total_time_s"] or 0),
                     "groups": sorted(names[g] for g in r["groups"] if g in names)})
    return {"total": int(total), "fields": columns["fields"], "group_columns": len(columns["groups"]), "rows": rows}
