"""Collaborative activity (metrics.md, "Collaborative activity"): per user, per group, per course and per
activity, and the people behind each number of an activity. Counts come from the tables derive_collab keeps
at import; only the lists of people read raw rows, one activity at a time (indexed on activity_id).

Scope: users and groups as scope.visible_users / visible_groups; courses as scope.visible_courses. A course's
numbers are the whole course's (its authors and its group's admins own it), and so are the people behind them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import and_, case, false, func, literal, select, true

from data_access import cohort_keys, grid_filters, schema
from data_access.bundle_spec import POSITIVE_REACTIONS, REACTION_KINDS
from data_access.collab_counts import live_sessions_select
from data_access.scope import (
    Scope,
    require_course,
    require_group,
    visible_courses,
    visible_groups,
    visible_sessions,
    visible_users,
)

COUNTS = ("publications", "comments", "reactions")
USER_COLUMNS = ("first_name", "last_name", "email", "additional_info", *COUNTS)
ACTIONS = ("views", *REACTION_KINDS, "comments", "downloads")  # what a number of an activity counts
DOWNLOADABLE = ("document", "cheat_sheet")
TOP = 10
BATCH = 2000


def _reaction_score(row) -> float | None:
    """% of positive reactions among all of a course's reactions; None when it has none (metrics.md)."""
    total = sum(int(row[f"r_{k}"]) for k in REACTION_KINDS)
    if not total:
        return None
    return 100.0 * sum(int(row[f"r_{k}"]) for k in POSITIVE_REACTIONS) / total


# --- users ------------------------------------------------------------------------------------------------
def _members_of(group_id: str):
    """Users with any membership in the group's subtree (a division lists its teams' people)."""
    m, gc = schema.memberships, schema.group_closure
    return (select(m.c.user_id).join(gc, gc.c.descendant_id == m.c.group_id)
            .where(gc.c.ancestor_id == group_id))


def _users_select(scope: Scope, group_id: str | None):
    cu = schema.collab_users
    stmt = (select(cu.c.user_id, *[cu.c[name] for name in USER_COLUMNS])
            .where(cu.c.current == 1, visible_users(scope, cu.c.user_id)))
    if group_id:
        stmt = stmt.where(cu.c.user_id.in_(_members_of(group_id)))
    return stmt


def group_options(conn, scope: Scope, now: datetime) -> list[dict]:
    """The groups the viewer sees, for the group picker: by name."""
    g = schema.groups
    rows = conn.execute(select(g.c.group_id, g.c.name, g.c.level).where(visible_groups(scope, g.c.group_id))
                        .order_by(g.c.name, g.c.group_id))
    return [{"group_id": r.group_id, "name": r.name, "level": int(r.level or 0)} for r in rows]


USER_NOT_NULL = {"first_name", "last_name", "email", *COUNTS}  # sorted without NULLS clause: indexes serve them


def users_page(conn, scope: Scope, now: datetime, group_id: str | None = None, sort_model: list | None = None,
               filter_model: dict | None = None, start: int = 0, end: int = 100) -> dict:
    """A block of the Users tab: current users in scope (with a group, its subtree's members), sorted, filtered
    and paged in SQL; LookupError for a group the viewer may not see. The default order (last name, first name,
    email) and the count orders walk indexes, so a block costs the same on page 1 and for 100k users."""
    if group_id:
        require_group(conn, scope, group_id)
    cu = schema.collab_users
    rows, total = grid_filters.fetch_walk_page(conn, _users_select(scope, group_id), {c: cu.c[c] for c in USER_COLUMNS},
                                               sort_model, filter_model, start, end,
                                               [cu.c.last_name, cu.c.first_name, cu.c.email, cu.c.user_id],
                                               USER_NOT_NULL, total=lambda: _count_users(conn, scope, group_id))
    return {"total": total, "rows": [{"user_id": r["user_id"], **{c: r[c] for c in USER_COLUMNS}} for r in rows]}


def _count_users(conn, scope: Scope, group_id: str | None) -> int:
    """A count of one group's subtree comes from kept facts (collab_groups.members, its current members of any
    role): a group the viewer opened (require_group: every member of a group they may open is in their scope),
    or, with no group, the only group a scoped viewer administers or coaches (their scope is its subtree's
    members). Anything else (the owner's every user, several managed groups) is counted through the scope rule."""
    whole = group_id
    if whole is None and not scope.is_owner and len(scope.managed_groups) == 1:
        whole = scope.managed_groups[0]
    if whole is not None:
        cg = schema.collab_groups
        return int(conn.execute(select(cg.c.members).where(cg.c.group_id == whole)).scalar() or 0)
    return int(conn.execute(select(func.count()).select_from(_users_select(scope, group_id).subquery()))
               .scalar_one())


def users_count(conn, scope: Scope, now: datetime, group_id: str | None = None) -> int:
    """How many current users the Users tab lists (with a group, its subtree's members)."""
    if group_id:
        require_group(conn, scope, group_id)
    return _count_users(conn, scope, group_id)


def top_users(conn, scope: Scope, now: datetime, group_id: str | None = None) -> list[dict]:
    """The 10 users of the tab with the most publications + comments + reactions (none with nothing)."""
    if group_id:
        require_group(conn, scope, group_id)
    cu = schema.collab_users
    order = [cu.c.total.desc(), cu.c.last_name, cu.c.first_name, cu.c.user_id]
    rows = conn.execute(_users_select(scope, group_id).where(cu.c.total > 0).order_by(*order).limit(TOP)).mappings()
    return [{"user_id": r["user_id"], "name": f"{r['first_name']} {r['last_name']}",
             **{c: int(r[c]) for c in COUNTS}} for r in rows]


def users_rows(conn, scope: Scope, now: datetime, group_id: str | None = None) -> Iterator[dict]:
    """Every line of the collab-users CSV, by last name, first name, email, read BATCH rows at a time (the group
    is checked before the first row)."""
    if group_id:
        require_group(conn, scope, group_id)
    cu = schema.collab_users
    return _stream(conn, _users_select(scope, group_id).order_by(cu.c.last_name, cu.c.first_name, cu.c.email,
                                                                 cu.c.user_id))


def _stream(conn, stmt) -> Iterator[dict]:
    result = conn.execution_options(yield_per=BATCH).execute(stmt).mappings()
    try:
        yield from result
    finally:
        result.close()


# --- groups -----------------------------------------------------------------------------------------------
def _groups_select(scope: Scope):
    g, cg, parent = schema.groups, schema.collab_groups, schema.groups.alias("parent")
    return (select(g.c.group_id, g.c.name, g.c.level, g.c.parent_id, parent.c.name.label("parent"),
                   *[func.coalesce(cg.c[name], 0).label(name) for name in COUNTS])
            .select_from(g).outerjoin(cg, cg.c.group_id == g.c.group_id)
            .outerjoin(parent, parent.c.group_id == g.c.parent_id)
            .where(visible_groups(scope, g.c.group_id)))


def _group_row(r) -> dict:
    return {"group_id": r["group_id"], "name": r["name"], "level": int(r["level"] or 0), "parent_id": r["parent_id"],
            "parent": r["parent"], **{c: int(r[c]) for c in COUNTS}}


def groups_table(conn, scope: Scope, now: datetime) -> list[dict]:
    """One line per group the viewer sees: publications, comments and reactions of the learners of its subtree
    (deleted learners included: their posts are history); by name (the collab-groups CSV)."""
    q = _groups_select(scope).subquery()
    return [_group_row(r) for r in conn.execute(select(q).order_by(q.c.name, q.c.group_id)).mappings()]


GROUP_COLUMNS = ("name", "parent", *COUNTS)


def groups_page(conn, scope: Scope, now: datetime, sort_model: list | None = None, filter_model: dict | None = None,
                start: int = 0, end: int = 100) -> dict:
    """A block of the Groups tab, sorted, filtered and paged in SQL (by name by default)."""
    q = grid_filters.fenced(_groups_select(scope))
    rows, total = grid_filters.fetch_page(conn, q, {c: q.c[c] for c in GROUP_COLUMNS}, sort_model, filter_model,
                                          start, end, [q.c.name, q.c.group_id])
    return {"total": total, "rows": [_group_row(r) for r in rows]}


def top_teams(conn, scope: Scope, now: datetime) -> list[dict]:
    """The 10 groups without subgroups (teams: comparable, unlike a division and its teams) with the most
    publications + comments + reactions of their learners."""
    g, child = schema.groups, schema.groups.alias("child")
    q = _groups_select(scope).where(~select(child.c.group_id).where(child.c.parent_id == g.c.group_id).exists()
                                    ).subquery()
    overall = q.c.publications + q.c.comments + q.c.reactions
    rows = conn.execute(select(q).where(overall > 0).order_by(overall.desc(), q.c.name, q.c.group_id).limit(TOP))
    return [_group_row(r) for r in rows.mappings()]


# --- sessions ---------------------------------------------------------------------------------------------
def _sessions_select(conn, scope: Scope):
    """Per session the viewer sees: publications, comments, reactions (see live_sessions_select); the platform
    owner's are kept at import (collab_sessions, filled by live_sessions_select), and so are those of a viewer who
    manages one kept group and teaches no session (scope_collab_sessions); anyone else's are computed live."""
    s = schema.sessions
    if scope.is_owner:
        cs = schema.collab_sessions
        kept, on = [], cs.c.session_id == s.c.session_id
    elif len(scope.managed_groups) == 1 and not scope.instructor_sessions and cohort_keys.kept(
            conn, scope.managed_groups[0]):
        cs = schema.scope_collab_sessions
        kept = [visible_sessions(scope, s)]
        on = and_(cs.c.group_id == scope.managed_groups[0], cs.c.session_id == s.c.session_id)
    else:
        return live_sessions_select(scope)
    counts = [func.coalesce(cs.c[name], 0) for name in COUNTS]
    return (select(s.c.session_id, s.c.name, s.c.program_id, s.c.start_at, s.c.end_at,
                   *[c.label(name) for c, name in zip(counts, COUNTS, strict=True)], sum(counts).label("overall"))
            .outerjoin(cs, on).where(*kept))


def _session_row(r) -> dict:
    return {"session_id": r["session_id"], "name": r["name"], "program_id": r["program_id"],
            "start_at": r["start_at"], "end_at": r["end_at"], **{c: int(r[c]) for c in COUNTS}}


def sessions_rows(conn, scope: Scope, now: datetime) -> list[dict]:
    """Every session's line (the session-collab CSV), most recent start first."""
    q = _sessions_select(conn, scope).subquery()
    stmt = select(q).order_by(q.c.start_at.desc(), q.c.name, q.c.session_id)
    return [_session_row(r) for r in conn.execute(stmt).mappings()]


SESSION_COLUMNS = ("name", "start_at", "end_at", *COUNTS)


def sessions_page(conn, scope: Scope, now: datetime, sort_model: list | None = None,
                  filter_model: dict | None = None, start: int = 0, end: int = 100) -> dict:
    """A block of the Sessions tab, sorted, filtered and paged in SQL (most recent start first by default)."""
    q = grid_filters.fenced(_sessions_select(conn, scope))
    rows, total = grid_filters.fetch_page(conn, q, {c: q.c[c] for c in SESSION_COLUMNS}, sort_model, filter_model,
                                          start, end, [q.c.start_at.desc(), q.c.name, q.c.session_id])
    return {"total": total, "rows": [_session_row(r) for r in rows]}


def top_sessions(conn, scope: Scope, now: datetime) -> list[dict]:
    """The 10 sessions with the most publications + comments + reactions (none with nothing)."""
    q = _sessions_select(conn, scope).subquery()
    rows = conn.execute(select(q).where(q.c.overall > 0)
                        .order_by(q.c.overall.desc(), q.c.start_at.desc(), q.c.session_id).limit(TOP)).mappings()
    return [_session_row(r) for r in rows]


# --- courses ----------------------------------------------------------------------------------------------
def _course_select(scope: Scope):
    c, cc, a = schema.courses, schema.collab_courses, schema.users
    counts = [func.coalesce(cc.c[col.name], 0).label(col.name) for col in cc.c if col.name != "course_id"]
    return (select(c.c.course_id, c.c.name, c.c.status, c.c.author_id, a.c.first_name.label("author_first"),
                   a.c.last_name.label("author_last"), c.c.coauthor_ids, c.c.created_at, c.c.updated_at,
                   c.c.source_language, c.c.available_languages, c.c.unavailable_languages, c.c.tags, *counts)
            .select_from(c).outerjoin(cc, cc.c.course_id == c.c.course_id)
            .outerjoin(a, a.c.user_id == c.c.author_id)
            .where(visible_courses(scope, c)))


def _course_row(r) -> dict:
    return {"course_id": r["course_id"], "name": r["name"], "status": r["status"],
            "author": f"{r['author_first'] or ''} {r['author_last'] or ''}".strip(),
            "views": int(r["views"]), "comments": int(r["comments"]),
            **{k: int(r[f"r_{k}"]) for k in REACTION_KINDS},
            "reactions": sum(int(r[f"r_{k}"]) for k in REACTION_KINDS), "reaction_score": _reaction_score(r)}


def courses_table(conn, scope: Scope, now: datetime) -> list[dict]:
    """One line per course the viewer sees: views (attempts), comments, reactions by kind, reaction score;
    by name."""
    c = schema.courses
    stmt = _course_select(scope).order_by(c.c.name, c.c.course_id)
    return [_course_row(r) for r in conn.execute(stmt).mappings()]


def _names(conn, user_ids: set[str]) -> dict[str, str]:
    u = schema.users
    out = {}
    ids = sorted(user_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in conn.execute(select(u.c.user_id, u.c.first_name, u.c.last_name).where(u.c.user_id.in_(chunk))):
            out[r.user_id] = f"{r.first_name} {r.last_name}"
    return out


def _split(value: str | None) -> list[str]:
    return [part for part in (value or "").split("|") if part]


def _lowest_groups(conn, author_ids: set[str]) -> dict[str, str]:
    """Each author's lowest-level group (the deepest; ties: by name, then id), any role."""
    m, g = schema.memberships, schema.groups
    out: dict[str, str] = {}
    ids = sorted(author_ids)
    for i in range(0, len(ids), 500):
        rows = conn.execute(select(m.c.user_id, g.c.name).join(g, g.c.group_id == m.c.group_id)
                            .where(m.c.user_id.in_(ids[i:i + 500]))
                            .order_by(m.c.user_id, g.c.level.desc(), g.c.name, g.c.group_id))
        for r in rows:
            out.setdefault(r.user_id, r.name)
    return out


def courses_export(conn, scope: Scope, now: datetime) -> list[dict]:
    """The Courses CSV's lines (every course the viewer sees, by name): the table's numbers plus authors,
    status, dates, activities by type, languages, tags of the course and of its activities, the author's
    lowest-level group."""
    c, a = schema.courses, schema.activities
    rows = [dict(r) for r in conn.execute(_course_select(scope).order_by(c.c.name, c.c.course_id)).mappings()]
    people = {r["author_id"] for r in rows} | {x for r in rows for x in _split(r["coauthor_ids"])}
    names = _names(conn, people)
    groups = _lowest_groups(conn, {r["author_id"] for r in rows})
    activity_tags: dict[str, set[str]] = {}
    visible = select(c.c.course_id).where(visible_courses(scope, c))
    for course_id, tags in conn.execute(select(a.c.course_id, a.c.tags)
                                        .where(a.c.tags.is_not(None), a.c.tags != "", a.c.course_id.in_(visible))):
        activity_tags.setdefault(course_id, set()).update(_split(tags))
    out = []
    for r in rows:
        tags = _split(r["tags"])
        tags += sorted(activity_tags.get(r["course_id"], set()) - set(tags))
        out.append({**_course_row(r), "author": names.get(r["author_id"], ""),
                    "coauthors": [names.get(x, x) for x in _split(r["coauthor_ids"])],
                    "created_at": r["created_at"], "updated_at": r["updated_at"],
                    "documents": int(r["documents"]), "cheat_sheets": int(r["cheat_sheets"]),
                    "questions": int(r["questions"]), "source_language": r["source_language"] or "",
                    "available_languages": _split(r["available_languages"]),
                    "unavailable_languages": _split(r["unavailable_languages"]), "tags": tags,
                    "group": groups.get(r["author_id"], "")})
    return out


# --- one course -------------------------------------------------------------------------------------------
def course_info(conn, scope: Scope, now: datetime, course_id: str) -> dict:
    """One course's own facts and totals (as in the Courses table, plus downloads); LookupError when the viewer
    may not see it."""
    require_course(conn, scope, course_id)
    c, ca = schema.courses, schema.collab_activities
    row = conn.execute(_course_select(scope).where(c.c.course_id == course_id)).mappings().one()
    downloads = conn.execute(select(func.coalesce(func.sum(ca.c.downloads), 0))
                             .where(ca.c.course_id == course_id)).scalar_one()
    return {**_course_row(row), "created_at": row["created_at"], "updated_at": row["updated_at"],
            "downloads": int(downloads), "activities": int(row["documents"] + row["cheat_sheets"] + row["questions"])}


def course_activities(conn, scope: Scope, now: datetime, course_id: str) -> list[dict]:
    """Engagement by activity: one line per activity of the course, in position order."""
    require_course(conn, scope, course_id)
    a, ca = schema.activities, schema.collab_activities
    counts = [func.coalesce(ca.c[name], 0).label(name) for name in ("views", "comments", "downloads",
                                                                     *schema.REACTION_COLUMNS)]
    rows = conn.execute(select(a.c.activity_id, a.c.position, a.c.title, a.c.type, *counts)
                        .select_from(a).outerjoin(ca, ca.c.activity_id == a.c.activity_id)
                        .where(a.c.course_id == course_id)
                        .order_by(a.c.position, a.c.title, a.c.activity_id)).mappings()
    return [{"activity_id": r["activity_id"], "position": r["position"], "title": r["title"], "type": r["type"],
             "views": int(r["views"]), "comments": int(r["comments"]), "downloads": int(r["downloads"]),
             **{k: int(r[f"r_{k}"]) for k in REACTION_KINDS}} for r in rows]


def activity_info(conn, scope: Scope, now: datetime, activity_id: str, course_id: str | None = None) -> dict:
    """An activity (title, type, its course, its numbers as kept at import: views, comments, downloads, r_<kind>);
    LookupError when missing, when its course is not visible, or when it is not in `course_id` (if given)."""
    a, c, ca = schema.activities, schema.courses, schema.collab_activities
    row = conn.execute(select(a.c.activity_id, a.c.title, a.c.type, a.c.course_id, c.c.name.label("course"),
                              *[ca.c[x] for x in ("views", "comments", "downloads", *schema.REACTION_COLUMNS)])
                       .join(c, c.c.course_id == a.c.course_id).outerjoin(ca, ca.c.activity_id == a.c.activity_id)
                       .where(a.c.activity_id == activity_id, visible_courses(scope, c))).mappings().first()
    if row is None or (course_id is not None and row["course_id"] != course_id):
        raise LookupError(f"no activity {activity_id!r}" + ("" if scope.is_owner else " visible to this user")
                          + (f" in course {course_id!r}" if course_id is not None else ""))
    return dict(row)


def _people_select(activity: dict, action: str):
    """The rows behind one number of an activity: who, when, and for comments whether a reply / archived."""
    u = schema.users
    aid = activity["activity_id"]
    if action == "views":
        t = schema.activity_views
        src, at, cond = t, t.c.started_at, t.c.activity_id == aid
        reply = archived = literal(0)
    elif action == "downloads":
        t = schema.downloads
        src, at = t, t.c.at
        cond = and_(t.c.activity_id == aid, true() if activity["type"] in DOWNLOADABLE else false())
        reply = archived = literal(0)
    elif action == "comments":
        t = schema.posts
        src, at, cond = t, t.c.created_at, and_(t.c.activity_id == aid, t.c.space == "course")
        reply = case((t.c.parent_id.is_not(None), 1), else_=0)
        archived = func.coalesce(t.c.archived, 0)
    elif action in REACTION_KINDS:
        t = schema.reactions
        src, at, cond = t, t.c.created_at, and_(t.c.activity_id == aid, t.c.kind == action)
        reply = archived = literal(0)
    else:
        raise ValueError(f"unknown number {action!r} (expected one of {', '.join(ACTIONS)})")
    ref = t.c.post_id if action == "comments" else literal(None)  # two comments may share user and time
    return (select(u.c.user_id, u.c.first_name, u.c.last_name, u.c.email, u.c.deleted_at, at.label("at"),
                   reply.label("reply"), archived.label("archived"), ref.label("ref"))
            .select_from(src).join(u, u.c.user_id == src.c.user_id).where(cond))


PEOPLE_COLUMNS = ("first_name", "last_name", "email", "at")


def _person(r) -> dict:
    """One row of a list; row_id is unique in the list (a view, reaction or download is keyed by user and time)."""
    return {"row_id": r["ref"] or f"{r['user_id']}@{int(r['at'])}", "user_id": r["user_id"],
            "first_name": r["first_name"], "last_name": r["last_name"],
            "email": r["email"], "deleted": r["deleted_at"] is not None, "at": int(r["at"]),
            "reply": bool(r["reply"]), "archived": bool(r["archived"])}


def activity_people_page(conn, scope: Scope, now: datetime, activity_id: str, action: str,
                         sort_model: list | None = None, filter_model: dict | None = None, start: int = 0,
                         end: int = 100, course_id: str | None = None) -> dict:
    """A block of the people behind one number of an activity (one row per view, reaction, comment or
    download, so the rows add up to the number), most recent first unless sorted. In that order the (activity,
    time) indexes are walked and left after the block, and the count is the number itself; another order or a
    filter reads the activity's rows first (fenced), so the database never sorts the whole users table. With
    `course_id`, an activity of another course is not found (a page shows only its own course's people)."""
    activity = activity_info(conn, scope, now, activity_id, course_id)
    stmt = _people_select(activity, action)
    if sort_model or filter_model:
        q = grid_filters.fenced(stmt)
        rows, total = grid_filters.fetch_page(conn, q, {c: q.c[c] for c in PEOPLE_COLUMNS}, sort_model, filter_model,
                                              start, end, [q.c.at.desc(), q.c.user_id])
        return {"total": total, "rows": [_person(r) for r in rows]}
    at = next(c for c in stmt.selected_columns if c.name == "at")
    number = activity.get(action if action in ("views", "comments", "downloads") else f"r_{action}")
    rows, total = grid_filters.fetch_walk_page(conn, stmt, {}, None, None, start, end,
                                               [at.desc(), stmt.selected_columns.user_id],
                                               total=None if number is None else lambda: number)
    return {"total": total, "rows": [_person(r) for r in rows]}


def activity_people(conn, scope: Scope, now: datetime, activity_id: str, action: str) -> tuple[dict, list[dict]]:
    """The activity and every person behind one of its numbers, most recent first (the list's CSV)."""
    activity = activity_info(conn, scope, now, activity_id)
    q = _people_select(activity, action).subquery()
    rows = conn.execute(select(q).order_by(q.c.at.desc(), q.c.last_name, q.c.first_name, q.c.user_id)).mappings()
    return activity, [_person(r) for r in rows]
