"""What one person's weekly digest says (metrics.md, "Weekly digest"), computed in their scope at now:

- the at-risk count now (the at-risk list of data_access.queries.at_risk, exactly what the app shows them) and
  the count their previous digest gave;
- **newly at risk**: at risk now and not in their previous digest (a first digest: everyone at risk now);
- **no longer at risk**: in their previous digest, still a participant of a running session they see, and not at
  risk now (a cohort that ended, a learner who left it or their scope, is not "recovered": they are left out);
- **contacts recorded** since the previous digest (a first digest: the last 7 days) with learners they see in
  that session, most recent first.

Each section lists at most LIMIT learners in order, with its total. Nothing newly at risk, nobody recovered and
no contact: nothing changed (no e-mail).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import aliased

from data_access import digest_store, program_session_state, schema
from data_access.queries import at_risk as risk
from data_access.scope import Scope, session_users_condition, visible_sessions, visible_users

LIMIT = 25  # learners per section; the rest are counted ("and N more")
FIRST_WINDOW_S = 7 * 86_400  # a first digest's contacts: the last 7 days
CHUNK = 500  # (learner, session) pairs per IN (…)


class RiskPool:
    """The at-risk list of the whole platform at one `now`, computed once for a run of many digests, and each
    recipient's part of it: the rows whose session they see (running, visible_sessions) and whom they see there
    (session_users_condition). The rows do not depend on the viewer (reasons, limits and contacts are per cohort),
    so a recipient's part is exactly risk.at_risk(conn, scope, now), in the same order (tested), for a few
    milliseconds instead of a query over every cohort they see. Recipients with the same groups and sessions
    share their part (a bounded cache of references into the one list: memory stays flat)."""

    def __init__(self, conn, now: datetime, cache_size: int = 256):
        self.now = now
        self.rows = risk.at_risk(conn, Scope.owner(), now)
        self._by_user: dict[str, list[int]] = {}  # learner -> positions of their rows in self.rows
        for i, r in enumerate(self.rows):
            self._by_user.setdefault(r["user_id"], []).append(i)
        self._parts: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()  # a run's senders share the pool

    def part(self, conn, scope: Scope) -> list[dict]:
        if scope.is_owner:
            return self.rows
        key = (scope.managed_groups, scope.instructor_sessions)
        with self._lock:
            if key in self._parts:
                self._parts.move_to_end(key)
                return self._parts[key]
        s = schema.sessions
        now_s = int(self.now.timestamp())
        sessions = set(conn.execute(select(s.c.session_id).where(program_session_state.running(s, now_s),
                                                                 visible_sessions(scope, s))).scalars())
        everyone_in = set(scope.instructor_sessions)
        people: set[str] = set()
        if scope.managed_groups:
            u = schema.users
            people = set(conn.execute(select(u.c.user_id).where(visible_users(scope, u.c.user_id))).scalars())
        rows = self.rows
        if len(people) < len(rows) and not everyone_in:  # a coach's few hundred people: look up their rows only
            found = sorted(i for u in people for i in self._by_user.get(u, ()))
            part = [rows[i] for i in found if rows[i]["session_id"] in sessions]
        else:
            part = [r for r in rows
                    if r["session_id"] in sessions and (r["session_id"] in everyone_in or r["user_id"] in people)]
        with self._lock:
            self._parts[key] = part
            if len(self._parts) > self._cache_size:
                self._parts.popitem(last=False)
        return part


def digest(conn, scope: Scope, now: datetime, user_id: str, pool: RiskPool | None = None) -> dict:
    """The digest of `user_id`, whose scope is `scope`, compared with their previous digest (see the module). With
    a pool (computed at the same now), the at-risk list is that recipient's part of it."""
    now_s = int(now.timestamp())
    prev = digest_store.previous(conn, user_id)
    before = digest_store.previous_at_risk(conn, user_id) if prev is not None else {}
    current, newly, newly_total = (_from_pool(pool.part(conn, scope), before) if pool is not None
                                   else _from_sql(conn, scope, now, before))
    gone = [pair for pair in before if pair not in current]
    recovered = _still_participants(conn, scope, now_s, gone)
    for r in recovered:
        r["reasons"] = before[(r["user_id"], r["session_id"])].split("|")
    since = prev["computed_at"] if prev is not None else now_s - FIRST_WINDOW_S
    contacts, contacts_total = _contacts(conn, scope, since, now_s)
    for c in contacts:
        now_reasons = current.get((c["user_id"], c["session_id"]))
        c["reasons"] = now_reasons.split("|") if now_reasons is not None else []
    return {
        "user_id": user_id, "now": now_s, "since": since, "first": prev is None,
        "at_risk": len(current), "previous_at_risk": None if prev is None else prev["at_risk"],
        "previous_at": None if prev is None else prev["computed_at"],
        "newly": [_item(r) for r in newly], "newly_total": newly_total,
        "recovered": recovered[:LIMIT], "recovered_total": len(recovered),
        "contacts": contacts, "contacts_total": contacts_total,
        "changed": bool(newly_total or recovered or contacts_total),
        # what to remember for the next digest: (learner, session, reasons joined with |)
        "at_risk_now": [(uid, sid, reasons) for (uid, sid), reasons in current.items()],
    }


def _from_pool(rows: list[dict], before: dict) -> tuple[dict, list[dict], int]:
    """From the recipient's at-risk rows: (learner, session) -> reasons joined with | of every row, the first LIMIT
    rows not in the previous digest, and how many are not."""
    current = {(r["user_id"], r["session_id"]): "|".join(r["reasons"]) for r in rows}
    newly = [r for r in rows if (r["user_id"], r["session_id"]) not in before]
    return current, newly[:LIMIT], len(newly)


def _from_sql(conn, scope: Scope, now: datetime, before: dict) -> tuple[dict, list[dict], int]:
    """The same as _from_pool without reading every row with its names: the pairs at risk (with their rank) first,
    then only the rows ranked at least as the LIMIT-th newly at risk, in the list's order."""
    ranked = risk.ranked(conn, scope, now)
    current = {(uid, sid): reasons for uid, sid, _, reasons in ranked}
    ranks = sorted((rank for uid, sid, rank, _ in ranked if (uid, sid) not in before), reverse=True)
    if not ranks:
        return current, [], 0
    rows = risk.at_risk_from(conn, scope, now, ranks[min(LIMIT, len(ranks)) - 1])
    newly = [r for r in rows if (r["user_id"], r["session_id"]) not in before]
    return current, newly[:LIMIT], len(ranks)


def counts(d: dict) -> dict:
    """The figures a period's record keeps."""
    return {"at_risk": d["at_risk"], "newly": d["newly_total"], "recovered": d["recovered_total"],
            "contacts": d["contacts_total"]}


def _item(r: dict) -> dict:
    return {"user_id": r["user_id"], "session_id": r["session_id"], "first_name": r["first_name"],
            "last_name": r["last_name"], "cohort": r["cohort"], "reasons": list(r["reasons"]),
            "days_since": r["days_since"], "overdue": r["overdue"], "score_pct": r["score_pct"]}


def _still_participants(conn, scope: Scope, now_s: int, pairs: list[tuple[str, str]]) -> list[dict]:
    """Of these (learner, session) pairs, those still participants of a running session the viewer sees (and
    whom they see there), with names and cohort; by last name, first name, email, session id."""
    su, u, s = schema.session_users, schema.users, schema.sessions
    out = []
    for i in range(0, len(pairs), CHUNK):
        chunk = [(sid, uid) for uid, sid in pairs[i:i + CHUNK]]
        out += [dict(r._mapping) for r in conn.execute(
            select(su.c.user_id, su.c.session_id, u.c.first_name, u.c.last_name, u.c.email, s.c.name.label("cohort"))
            .join(u, u.c.user_id == su.c.user_id).join(s, s.c.session_id == su.c.session_id)
            .where(tuple_(su.c.session_id, su.c.user_id).in_(chunk), su.c.registered == 1, u.c.deleted_at.is_(None),
                   program_session_state.running(s, now_s), visible_sessions(scope, s),
                   session_users_condition(scope, su.c.session_id, su.c.user_id)))]
    out.sort(key=lambda r: (r["last_name"], r["first_name"], r["email"], r["session_id"]))
    return out


def _contacts(conn, scope: Scope, since: int, now_s: int) -> tuple[list[dict], int]:
    """The first LIMIT contacts recorded in (since, now] with learners the viewer sees in that session (most
    recent first), and how many there are."""
    c, s, u = schema.contacts, schema.sessions, schema.users
    by = aliased(u)
    where = [c.c.recorded_at > since, c.c.recorded_at <= now_s, visible_sessions(scope, s),
             session_users_condition(scope, c.c.session_id, c.c.user_id)]
    total = conn.execute(select(func.count()).select_from(c).join(s, s.c.session_id == c.c.session_id)
                         .where(*where)).scalar_one()
    if not total:
        return [], 0
    rows = conn.execute(
        select(c.c.user_id, c.c.session_id, c.c.recorded_at, c.c.channel, u.c.first_name, u.c.last_name,
               s.c.name.label("cohort"), by.c.first_name.label("by_first"), by.c.last_name.label("by_last"),
               c.c.recorded_by)
        .join(s, s.c.session_id == c.c.session_id).join(u, u.c.user_id == c.c.user_id)
        .outerjoin(by, by.c.user_id == c.c.recorded_by)
        .where(*where).order_by(c.c.recorded_at.desc(), c.c.id.desc()).limit(LIMIT)).all()
    return [{"user_id": r.user_id, "session_id": r.session_id, "first_name": r.first_name, "last_name": r.last_name,
             "cohort": r.cohort, "recorded_at": r.recorded_at, "channel": r.channel,
             "by": f"{r.by_first} {r.by_last}".strip() if r.by_first is not None else r.recorded_by}
            for r in rows], int(total)


# --- a person's own settings (the Weekly digest page) -------------------------------------------------------------
def settings_of(conn, scope: Scope, now: datetime, user_id: str) -> dict:
    """Whether `user_id` receives the digest, when (weekday 0 = Monday, hour), and their latest periods."""
    sub = digest_store.subscription(conn, user_id)
    return {"subscribed": sub is not None, "weekday": sub.weekday if sub else digest_store.DEFAULT_DAY,
            "hour": sub.hour if sub else digest_store.DEFAULT_HOUR,
            "history": digest_store.history(conn, user_id, 5) if sub else []}


def save_settings(conn, scope: Scope, now: datetime, user_id: str, on: bool, weekday, hour) -> dict:
    """Subscribe `user_id` (on) at that day and hour, or stop their digest; ValueError for a day or hour that is
    not one. Returns settings_of afterwards."""
    if not isinstance(on, bool):
        raise ValueError("on is true or false")
    weekday, hour = digest_store.parse_day(weekday), digest_store.parse_hour(hour)
    if on:
        digest_store.subscribe(conn, user_id, weekday, hour, int(now.timestamp()))
    else:
        digest_store.unsubscribe(conn, user_id)
    return settings_of(conn, scope, now, user_id)
