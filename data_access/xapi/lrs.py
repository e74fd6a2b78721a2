"""Reading stored statements back as an LRS answers them (GET /xapi/statements): one by id, or a page of a query.

A stored statement is its content as received (`xapi_statements.body`) with the properties an LRS sets: `stored`
(the time it was stored here), `timestamp` (its stored time when it was sent without one), `version` (1.0.0 when
it was sent without one) and `authority` (the credential that posted it; for a file import or a pull, the
authority it came with or, without one, this LRS's importer). Voided statements are only read by
`voidedStatementId`; queries leave them out (their voiding statements are returned).

Queries follow the Statement Resource: agent, verb, activity, registration (with related_agents and
related_activities), since / until (exclusive / inclusive on `stored`), ascending, limit; a page ends with a
`more` cursor (the stored time and id of its last statement), so a reader resumes exactly after it. The
verb and time filters run in SQL; the others are prefiltered in SQL by the JSON text of the value (LIKE) and
decided exactly on the parsed statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from sqlalchemy import text

from data_access.xapi.statement import loads

MAX_LIMIT = 500
SCAN = 500  # rows read per SQL page while filtering
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


@dataclass(frozen=True)
class Query:
    agent: dict | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: int | None = None  # epoch seconds, exclusive
    until: int | None = None  # inclusive
    ascending: bool = False
    limit: int = MAX_LIMIT
    format: str = "exact"
    after: tuple[int, str] | None = None  # the cursor of `more`: (stored, statement id) of the last one read


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _statement(row, default_authority: dict, fmt: str) -> dict:
    st = loads(row.body)
    out = {"id": st.pop("id"), **st}
    out.setdefault("timestamp", iso(row.timestamp))
    out["stored"] = iso(row.stored)
    out.setdefault("authority", default_authority)
    out.setdefault("version", "1.0.0")
    ctx = out.get("context")
    if isinstance(ctx, dict) and isinstance(ctx.get("contextActivities"), dict):
        # every contextActivities value is returned as an array
        ctx["contextActivities"] = {k: v if isinstance(v, list) else [v] for k, v in ctx["contextActivities"].items()}
    return _ids(out) if fmt == "ids" else out


def _ifi_only(agent):
    if not isinstance(agent, dict):
        return agent
    out = {k: agent[k] for k in ("objectType", *IFIS) if k in agent}
    if agent.get("objectType") == "Group" and not any(k in agent for k in IFIS):
        out["member"] = [_ifi_only(m) for m in agent.get("member", [])]
    return out


def _ids(st: dict) -> dict:
    """format=ids: Agents and Groups by their identifiers only, Activities by their id only."""
    st = dict(st)
    for key in ("actor", "authority"):
        if key in st:
            st[key] = _ifi_only(st[key])
    obj = st.get("object")
    if isinstance(obj, dict):
        kind = obj.get("objectType", "Activity")
        if kind in ("Agent", "Group"):
            st["object"] = _ifi_only(obj)
        elif kind == "SubStatement":
            st["object"] = _ids(obj)
        elif kind != "StatementRef":
            st["object"] = {k: obj[k] for k in ("objectType", "id") if k in obj}
    ctx = st.get("context")
    if isinstance(ctx, dict):
        ctx = dict(ctx)
        for key in ("instructor", "team"):
            if key in ctx:
                ctx[key] = _ifi_only(ctx[key])
        if isinstance(ctx.get("contextActivities"), dict):
            ctx["contextActivities"] = {k: [{"id": a.get("id")} for a in v if isinstance(a, dict)]
                                        for k, v in ctx["contextActivities"].items()}
        st["context"] = ctx
    return st


_COLS = "statement_id, timestamp, stored, voided, voids, body"


def get_statement(conn, statement_id: str, voided: bool, default_authority: dict, fmt: str = "exact") -> dict | None:
    """The statement of that id: by statementId only when it is not voided, by voidedStatementId only when it is."""
    row = conn.execute(text(f"SELECT {_COLS} FROM xapi_statements WHERE statement_id = :i"),
                       {"i": statement_id.lower()}).first()
    if row is None or bool(row.voided) != voided:
        return None
    return _statement(row, default_authority, fmt)


def _same_agent(a, b) -> bool:
    """Whether two Agents / identified Groups have the same identifier."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    for key in IFIS:
        if key in a and key in b:
            return a[key] == b[key]
    return False


def _agents(st: dict, related: bool):
    yield st.get("actor")
    obj = st.get("object")
    if isinstance(obj, dict) and obj.get("objectType") in ("Agent", "Group"):
        yield obj
    if not related:
        return
    for group in (st.get("actor"), obj, st.get("authority")):
        if isinstance(group, dict) and isinstance(group.get("member"), list):
            yield from group["member"]
    yield st.get("authority")
    ctx = st.get("context")
    if isinstance(ctx, dict):
        for key in ("instructor", "team"):
            who = ctx.get(key)
            yield who
            if isinstance(who, dict) and isinstance(who.get("member"), list):
                yield from who["member"]
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        yield from _agents(obj, True)


def _activities(st: dict, related: bool):
    obj = st.get("object")
    if isinstance(obj, dict) and obj.get("objectType", "Activity") not in ("Agent", "Group", "StatementRef",
                                                                             "SubStatement"):
        yield obj.get("id")
    if not related:
        return
    ctx = st.get("context")
    if isinstance(ctx, dict) and isinstance(ctx.get("contextActivities"), dict):
        for acts in ctx["contextActivities"].values():
            for act in acts if isinstance(acts, list) else [acts]:
                if isinstance(act, dict):
                    yield act.get("id")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        yield from _activities(obj, True)


def _matches(st: dict, q: Query) -> bool:
    if q.agent is not None and not any(_same_agent(q.agent, a) for a in _agents(st, q.related_agents)):
        return False
    if q.activity is not None and q.activity not in _activities(st, q.related_activities):
        return False
    if q.registration is not None:
        ctx = st.get("context")
        if not isinstance(ctx, dict) or str(ctx.get("registration", "")).lower() != q.registration.lower():
            return False
    return True


def _like(value) -> str:
    needle = orjson.dumps(value).decode()
    return "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def query(conn, q: Query, default_authority: dict) -> tuple[list[dict], tuple[int, str] | None]:
    """A page of statements (at most q.limit) and the cursor after its last one when more may follow."""
    where, params = ["voided = 0"], {}
    if q.verb is not None:
        where.append("verb_id = :verb")
        params["verb"] = q.verb
    if q.since is not None:
        where.append("stored > :since")
        params["since"] = q.since
    if q.until is not None:
        where.append("stored <= :until")
        params["until"] = q.until
    needles = []
    if q.agent is not None:
        ifi = next(k for k in IFIS if k in q.agent)
        needles.append(q.agent[ifi]["name"] if ifi == "account" else q.agent[ifi])
    if q.activity is not None:
        needles.append(q.activity)
    if q.registration is not None:
        needles.append(q.registration)
    for i, needle in enumerate(needles):
        where.append(f"body LIKE :n{i} ESCAPE '\\'")
        params[f"n{i}"] = _like(needle)
    order = "ASC" if q.ascending else "DESC"
    cmp = ">" if q.ascending else "<"
    after = q.after
    out: list[dict] = []
    while True:
        clause = list(where)
        if after is not None:
            clause.append(f"(stored, statement_id) {cmp} (:a_s, :a_i)")  # a row value: one index range
            params.update(a_s=after[0], a_i=after[1])
        rows = conn.execute(text(f"SELECT {_COLS} FROM xapi_statements WHERE {' AND '.join(clause)} "
                                 f"ORDER BY stored {order}, statement_id {order} LIMIT {SCAN}"), params).all()
        for row in rows:
            after = (row.stored, row.statement_id)
            st = _statement(row, default_authority, "exact")
            if _matches(st, q):
                out.append(_ids(st) if q.format == "ids" else st)
                if len(out) >= q.limit:
                    return out, after
        if len(rows) < SCAN:
            return out, None


def consistent_through() -> str:
    """The time up to which every statement is in the answers: now, less the second being written (a file import
    or a pull stamps its statements with the time it began: docs/xapi.md)."""
    return iso(int(datetime.now(UTC).timestamp()) - 1)

