"""The data of the Session CSV (metrics.md, "Session CSV") for one or several sessions: the column plan, then
the learners in batches, each batch with its own lookups, so a 10,000-learner session streams with
memory bounded by the batch (plus the ordered list of ids), not the file."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import and_, func, select

from data_access import schema
from data_access.queries.csv_columns import custom_fields, exporter_groups
from data_access.scope import Scope, require_session, session_users_condition, visible_session

BATCH = 1000


CHUNK = 500  # sessions per IN (…) of a plan: a program's Session CSV names all its sessions (1,700 at 1M learners)


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    return (ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK))


def plan(conn, scope: Scope, now: datetime, session_ids: list[str]) -> dict:
    """What the header needs: custom field names, visible groups, each session's block and classroom-slot
    columns and how many of each; LookupError for a session the viewer may not see."""
    _require_sessions(conn, scope, session_ids)
    blocks_per_session, slots_per_session = _columns(conn, session_ids)
    return {
        "fields": custom_fields(conn),
        "groups": exporter_groups(conn, scope),
        "blocks": blocks_per_session, "slots": slots_per_session,
        "n_blocks": max((len(v) for v in blocks_per_session.values()), default=0),
        "n_slots": max((len(v) for v in slots_per_session.values()), default=0),
    }


def _require_sessions(conn, scope: Scope, session_ids: list[str]) -> None:
    """require_session for each id, read CHUNK ids a statement: the first one the viewer may not see (or that does
    not exist) raises require_session's own LookupError."""
    s = schema.sessions
    seen: set[str] = set()
    for part in _chunks(list(dict.fromkeys(session_ids))):
        seen.update(conn.execute(select(s.c.session_id).where(s.c.session_id.in_(part), visible_session(scope, s)))
                    .scalars())
    for sid in session_ids:
        if sid not in seen:
            require_session(conn, scope, sid)


def _columns(conn, session_ids: list[str]) -> tuple[dict, dict]:
    """Per session, its block columns (blocks other than classroom ones up to the highest one anybody started, by
    position) and its classroom slots (by start, slot id); three statements per CHUNK sessions."""
    b, br, cs = schema.blocks, schema.block_results, schema.classroom_slots
    blocks: dict[str, list] = {sid: [] for sid in session_ids}
    slots: dict[str, list] = {sid: [] for sid in session_ids}
    for part in _chunks(list(blocks)):
        started = dict(conn.execute(
            select(b.c.session_id, func.max(b.c.position))
            .where(b.c.session_id.in_(part), b.c.kind != "classroom",
                   select(br.c.block_id).where(br.c.block_id == b.c.block_id).exists())
            .group_by(b.c.session_id)).all())
        for r in conn.execute(select(b.c.session_id, b.c.block_id, b.c.title, b.c.kind, b.c.position)
                              .where(b.c.session_id.in_(part), b.c.kind != "classroom")
                              .order_by(b.c.session_id, b.c.position, b.c.block_id)).mappings():
            if r["position"] <= (started.get(r["session_id"]) or 0):
                blocks[r["session_id"]].append({"block_id": r["block_id"], "title": r["title"], "kind": r["kind"]})
        for r in conn.execute(select(b.c.session_id, cs.c.slot_id, cs.c.title, cs.c.start_at, cs.c.end_at,
                                     cs.c.duration_hours, b.c.title.label("block_title"))
                              .join(b, b.c.block_id == cs.c.block_id).where(b.c.session_id.in_(part))
                              .order_by(b.c.session_id, cs.c.start_at, cs.c.slot_id)).mappings():
            slots[r["session_id"]].append({k: v for k, v in r.items() if k != "session_id"})
    return blocks, slots


def _session_facts(conn, session_id: str) -> dict:
    s, p, u, si = schema.sessions, schema.programs, schema.users, schema.session_instructors
    row = conn.execute(select(s.c.name, s.c.session_id, s.c.expected_duration_min, s.c.tags,
                              s.c.description, p.c.name.label("program"), p.c.program_id,
                              p.c.description.label("program_description"), u.c.email.label("author"))
                       .join(p, p.c.program_id == s.c.program_id).outerjoin(u, u.c.user_id == s.c.author_id)
                       .where(s.c.session_id == session_id)).mappings().one()
    instructors = conn.execute(select(u.c.email).join(si, si.c.user_id == u.c.user_id)
                               .where(si.c.session_id == session_id).order_by(u.c.email)).scalars().all()
    return {**row, "instructors": list(instructors)}


def learners(conn, scope: Scope, session_id: str, plan_: dict) -> Iterator[dict]:
    """Every user of any enrollment of the session, by last name, first name, email; in batches."""
    su, u, br = schema.session_users, schema.users, schema.block_results
    facts = _session_facts(conn, session_id)

    def batch_rows(ids: list[str]):
        course_end = (select(br.c.user_id, func.max(br.c.last_activity_at).label("end_at"))
                      .where(br.c.session_id == session_id, br.c.kind == "course", br.c.user_id.in_(ids))
                      .group_by(br.c.user_id)).subquery()
        return conn.execute(
            select(u.c.user_id, u.c.first_name, u.c.last_name, u.c.email, u.c.additional_info, u.c.deleted_at,
                   su.c.registered, su.c.score_pct, su.c.progress_pct, su.c.start_at, course_end.c.end_at,
                   su.c.verified, su.c.time_spent_s)
            .join(u, u.c.user_id == su.c.user_id)
            .outerjoin(course_end, course_end.c.user_id == su.c.user_id)
            .where(su.c.session_id == session_id, su.c.user_id.in_(ids))).mappings()

    # the order once (ids only), then each batch's rows and lookups by id: no re-sorting, no OFFSET scans
    order = list(conn.execute(
        select(su.c.user_id).join(u, u.c.user_id == su.c.user_id)
        .where(su.c.session_id == session_id, session_users_condition(scope, su.c.session_id, su.c.user_id))
        .order_by(u.c.last_name, u.c.first_name, u.c.email, u.c.user_id)).scalars())
    for i in range(0, len(order), BATCH):
        ids = order[i:i + BATCH]
        rows = {r["user_id"]: dict(r) for r in batch_rows(ids)}
        yield from _with_lookups(conn, session_id, [rows[uid] for uid in ids], facts, plan_)


def _with_lookups(conn, session_id: str, batch: list[dict], facts: dict, plan_: dict) -> Iterator[dict]:
    ids = [r["user_id"] for r in batch]
    uf, mg, u, m, br, sa = (schema.user_fields, schema.managers, schema.users, schema.memberships,
                            schema.block_results, schema.slot_attendance)
    fields: dict[str, dict] = defaultdict(dict)
    for r in conn.execute(select(uf.c.user_id, uf.c.field, uf.c.value).where(uf.c.user_id.in_(ids))):
        fields[r.user_id][r.field] = r.value
    managers: dict[str, list] = defaultdict(list)
    for r in conn.execute(select(mg.c.user_id, u.c.email).join(u, u.c.user_id == mg.c.manager_id)
                          .where(mg.c.user_id.in_(ids)).order_by(mg.c.user_id, u.c.email)):
        managers[r.user_id].append(r.email)
    groups: dict[str, set] = defaultdict(set)
    for r in conn.execute(select(m.c.user_id, m.c.group_id).where(m.c.user_id.in_(ids))):
        groups[r.user_id].add(r.group_id)
    blocks: dict[tuple, tuple] = {}
    wanted = [blk["block_id"] for blk in plan_["blocks"][session_id]]
    if wanted:
        for r in conn.execute(select(br.c.user_id, br.c.block_id, br.c.score_pct, br.c.time_spent_s)
                              .where(br.c.session_id == session_id, br.c.user_id.in_(ids),
                                     br.c.block_id.in_(wanted))):
            blocks[(r.user_id, r.block_id)] = (r.score_pct, r.time_spent_s)
    attendance: dict[tuple, float] = {}
    slots = [s["slot_id"] for s in plan_["slots"][session_id]]
    if slots:
        for r in conn.execute(select(sa.c.user_id, sa.c.slot_id, sa.c.attendance_pct)
                              .where(and_(sa.c.slot_id.in_(slots), sa.c.user_id.in_(ids)))):
            attendance[(r.user_id, r.slot_id)] = r.attendance_pct
    for row in batch:
        uid = row["user_id"]
        yield {**row, "session": facts, "fields": fields.get(uid, {}), "managers": managers.get(uid, []),
               "groups": groups.get(uid, set()),
               "blocks": [blocks.get((uid, b)) for b in wanted],
               "attendance": [attendance.get((uid, s)) for s in slots]}
