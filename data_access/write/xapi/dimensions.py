"""The dimension rows statements name (groups, users, courses, programs, sessions, blocks, activities, memberships):
inserted when new, never changed by a later statement except a user's name given for the first time."""

from __future__ import annotations

from sqlalchemy import text

from data_access.write.bulk import in_chunks, run_many, upsert_rows
from data_access.xapi.mapping import ROOT_GROUP


def ensure_root(conn) -> str:
    """The group tree's root: the platform group if there is one, else one made for xAPI platforms."""
    root = conn.execute(text("SELECT group_id FROM groups WHERE parent_id IS NULL")).scalar()
    if root is None:  # (two first batches at once: the second one's insert does nothing)
        conn.execute(text("INSERT INTO groups (group_id, name, parent_id) VALUES (:g, 'Learning platforms', NULL) "
                          "ON CONFLICT DO NOTHING"), {"g": ROOT_GROUP})
        root = ROOT_GROUP
    return root


def _missing(conn, table: str, key: str, ids) -> set[str]:
    ids = list(ids)
    return set(ids) - {r[0] for r in in_chunks(conn, f"SELECT {key} FROM {table} WHERE {key} {{ids}}", ids)}


def ensure_dims(conn, batch, root: str, done: set | None = None) -> set[str]:
    """Insert the batch's dimension rows that do not exist yet; name a user who had no name. Returns the tables
    that changed. `done` (kept by the caller across the batches of one transaction) holds the memberships and
    namings already written, so later batches skip them: most statements come from people seen before."""
    done = set() if done is None else done
    changed: set[str] = set()

    def add(table, key, rows, cols):
        new = _missing(conn, table, key, rows)
        if new:
            upsert_rows(conn, table, cols, (key,), [tuple(rows[k].get(c) for c in cols) for k in rows if k in new])
            changed.add(table)
        return new

    groups = {g: {**row, "parent_id": root} for g, row in batch.groups.items()}
    add("groups", "group_id", groups, ["group_id", "name", "parent_id"])
    users = {u: {**row, "email_lower": row["email"].lower() if row["email"] else "#" + u}
             for u, row in batch.users.items()}
    new_users = add("users", "user_id", users, ["user_id", "first_name", "last_name", "email", "email_lower"])
    named = [(r["first_name"], r["last_name"], u) for u, r in batch.users.items() if u not in new_users
             and r["first_name"] and ("named", u) not in done]
    done |= {("named", u) for _, _, u in named} | {("named", u) for u in new_users if users[u]["first_name"]}
    if named:  # a user first seen without a name gets the one a later statement carries
        _name_users(conn, named)
    courses = {c: {**row, "author_id": "", "status": "active"} for c, row in batch.courses.items()}
    add("courses", "course_id", courses, ["course_id", "name", "author_id", "status"])
    programs = {p: {**row, "kind": "program"} for p, row in batch.programs.items()}
    add("programs", "program_id", programs, ["program_id", "name", "kind"])
    sessions = {s: {**row, "author_id": "", "group_id": row["group_id"] if row["group_id"] != ROOT_GROUP else root}
                for s, row in batch.sessions.items()}
    add("sessions", "session_id", sessions, ["session_id", "program_id", "name", "start_at", "end_at", "author_id",
                                             "group_id"])
    _place_blocks(conn, batch.blocks)
    add("blocks", "block_id", batch.blocks, ["block_id", "session_id", "position", "kind", "title", "course_id"])
    add("activities", "activity_id", batch.activities, ["activity_id", "course_id", "title", "type"])
    members = sorted(m for m in batch.memberships if m not in done)
    done |= set(members)
    if members:
        rows = [(u, root if g == ROOT_GROUP else g, "learner") for u, g in members]
        upsert_rows(conn, "memberships", ["user_id", "group_id", "role"], ("user_id", "group_id", "role"), rows)
        changed.add("memberships")
    return changed


def _name_users(conn, named) -> None:
    run_many(conn, "UPDATE users SET first_name = {m}, last_name = {m} WHERE user_id = {m} AND first_name = ''",
              named)


def _place_blocks(conn, blocks: dict[str, dict]) -> None:
    """New assessment blocks go after the session's blocks, in the order first seen."""
    unplaced = [b for b in blocks.values() if b["position"] is None]
    if not unplaced:
        return
    new = _missing(conn, "blocks", "block_id", [b["block_id"] for b in unplaced])
    top: dict[str, int] = {}
    for b in unplaced:
        if b["block_id"] not in new:
            continue
        sid = b["session_id"]
        if sid not in top:
            top[sid] = conn.execute(text("SELECT COALESCE(MAX(position), 0) FROM blocks WHERE session_id = :s"),
                                    {"s": sid}).scalar_one()
            top[sid] = max(top[sid], 1 if sid in blocks else 0)
        top[sid] += 1
        b["position"] = top[sid]
