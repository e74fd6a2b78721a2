"""The Session CSV (metrics.md, "Session CSV"): one line per user of any enrollment of the session, every
column in the spec's order. `program` is the same file over all sessions of a program template."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from data_access import schema
from data_access.exports.csv_format import csv_chunks, date, guard, pct
from data_access.exports.options import one_session
from data_access.queries import session_export as q
from data_access.scope import require_program, visible_sessions

FIXED = ["Last name", "First name", "Email"]
AFTER_FIELDS = ["Additional information", "Managers", "Deleted user", "Session", "Session ID", "Author",
                "Program template", "Program template ID", "Instructors", "Registered user", "Score", "Progress",
                "Start", "End", "Verified program", "Total time spent (s)", "Expected duration (min)", "Tags",
                "Additional program information", "Additional session information"]
SLOT_COLUMNS = ["Classroom Block Title", "Classroom Slot Title", "Classroom Slot Attendance",
                "Classroom Slot Duration", "Classroom Slot Start Date", "Classroom Slot End Date"]


def header(plan: dict) -> list[str]:
    cols = FIXED + plan["fields"] + AFTER_FIELDS + [g["name"] for g in plan["groups"]]
    for n in range(1, plan["n_blocks"] + 1):
        cols += [f"Block title {n}", f"Block score {n}", f"Block time {n} (s)"]
    for n in range(1, plan["n_slots"] + 1):
        cols += [f"{name} {n}" for name in SLOT_COLUMNS]
    return cols


def _x(flag) -> str:  # the "x" flag columns
    return "x" if flag else ""


def _num(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{float(value):g}"


def _line(r: dict, plan: dict, tz: str) -> list:
    """One learner's cells, guarded (csv_chunks(guarded=True)): group flags are only "x" or ""."""
    s = r["session"]
    row = [r["last_name"], r["first_name"], r["email"]]
    row += [r["fields"].get(f, "") for f in plan["fields"]]
    row += [r["additional_info"] or "", ", ".join(r["managers"]), date(r["deleted_at"], tz), s["name"],
            s["session_id"], s["author"] or "", s["program"], s["program_id"], ", ".join(s["instructors"]),
            _x(r["registered"]), pct(r["score_pct"]), pct(r["progress_pct"]), date(r["start_at"], tz),
            date(r["end_at"], tz), _x(r["verified"]), str(int(r["time_spent_s"] or 0)),
            _num(s["expected_duration_min"]), (s["tags"] or "").replace("|", ", "), s["program_description"] or "",
            s["description"] or ""]
    row = [guard(v) for v in row]
    flags = [""] * len(plan["groups"])
    for gid in r["groups"]:
        i = plan["group_index"].get(gid)
        if i is not None:
            flags[i] = "x"
    row += flags
    tail = []
    blocks = plan["blocks"][s["session_id"]]
    for i in range(plan["n_blocks"]):
        if i < len(blocks):
            score, time_s = r["blocks"][i] or (None, None)
            tail += [blocks[i]["title"], pct(score), _num(time_s)]
        else:
            tail += ["", "", ""]
    slots = plan["slots"][s["session_id"]]
    for i in range(plan["n_slots"]):
        if i < len(slots):
            slot = slots[i]
            tail += [slot["block_title"], slot["title"] or "", pct(r["attendance"][i]), slot["duration"],
                     slot["start"], slot["end"]]
        else:
            tail += [""] * len(SLOT_COLUMNS)
    return row + [guard(v) for v in tail]


def session_csv(conn, scope, now, tz: str, session_ids: list[str]) -> Iterator[str]:
    """The CSV as text chunks; the plan (and any unknown session) is resolved before the first chunk."""
    plan = q.plan(conn, scope, now, session_ids)
    plan["group_index"] = {g["group_id"]: i for i, g in enumerate(plan["groups"])}
    for slots in plan["slots"].values():  # the same on every line: formatted once
        for slot in slots:
            slot.update(duration=_num(slot["duration_hours"]), start=date(slot["start_at"], tz),
                        end=date(slot["end_at"], tz))

    def rows():
        for sid in session_ids:
            for r in q.learners(conn, scope, sid, plan):
                yield _line(r, plan, tz)

    return csv_chunks(header(plan), rows(), guarded=True)


def program_sessions(conn, scope, program_id: str) -> list[str]:
    s = schema.sessions
    require_program(conn, scope, program_id)
    return list(conn.execute(select(s.c.session_id).where(s.c.program_id == program_id, visible_sessions(scope, s))
                             .order_by(s.c.start_at, s.c.session_id)).scalars())


def _session_report(conn, scope, now, settings, options):
    return session_csv(conn, scope, now, settings.timezone, [one_session(options)])


def _program_report(conn, scope, now, settings, options):
    if not options.program:
        raise ValueError("--program ID is required: the program template to export")
    return session_csv(conn, scope, now, settings.timezone, program_sessions(conn, scope, options.program))


REPORTS = {"session": _session_report, "program": _program_report}
