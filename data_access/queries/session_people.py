"""A session's users as grid pages (a session's Individual results, a group's learners of a session): the rows of
session_users the viewer sees, narrowed as the page asks, with the users' names; sorted, filtered and paged in SQL.

Every count reads session_users alone (each of its rows is an enrollment, whose user exists, so joining users and
enrollments never removes a row), with users joined only when the grid filters on a name. The rows of a page are
read in one of two ways:

- walk: in name order (the default, or sorted by a name), a users' name index (ix_users_name, ix_users_first_name)
  is read in order and each user probed in the session, so the database stops after `end` matching rows: about
  end × users / total probes;
- sort: the matching rows are read first (fenced, so the planner cannot turn this into a walk), joined with users
  for their names and sorted: about `total` probes. For any other order, and for a session small against the
  platform (a walk would read most of the index before finding `end` of its few users).

Walk when total² ≥ WALK_RATIO × end × users, or when the grid filters on a name. In an order by a session_users
column (progress, score…), names break the ties, and one value is often shared by tens of thousands of learners
(progress 0, no score yet): the page's values of that column are read from session_users alone first; a page inside
one value is that value's learners in name order (walked or sorted as above), a page across values sorts only the
learners between its first and last value. Either way enrollments and deletion dates are read for the page's rows
only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, case, false, func, or_, select, true

from data_access import grid_filters, schema
from data_access.scope import Scope, one_session_users_probe, sees_every_user_of

NAMES = ("first_name", "last_name")
KEYS = {"progress": "progress_pct", "score": "score_pct", "time_spent": "time_spent_s",
        "last_activity": "last_activity_at"}
NULLS_LOW = {"score", "last_activity"}
# a walked user costs an index entry and a probe of the session's key, a sorted row a probe of users' key and its
# row and its share of the sort: about twice as much
WALK_RATIO = 0.5


@dataclass(frozen=True)
class SessionPeople:
    """The users of one session a grid lists: those the viewer sees, narrowed to one group's registered members
    (any role), one level band's attendees, one user, or the registered users meeting registered_if(user id
    column)."""
    scope: Scope
    session_id: str
    group_id: str | None = None
    band: int | None = None
    user_id: str | None = None
    registered_if: Callable | None = None

    def seen(self, cols) -> list:
        """The session's rows the viewer sees, over columns named as session_users'."""
        return [one_session_users_probe(self.scope, self.session_id, cols.user_id)]

    def narrowing(self, cols) -> list:
        """The page's narrowing, over columns named as session_users'."""
        out = []
        if self.group_id:
            m = schema.memberships
            out += [cols.registered == 1, cols.user_id.in_(select(m.c.user_id).where(m.c.group_id == self.group_id))]
        if self.registered_if is not None:
            out += [cols.registered == 1, self.registered_if(cols.user_id)]
        if self.user_id is not None:
            out.append(cols.user_id == self.user_id)
        if self.band is not None:
            lo = 20 * self.band
            out += [cols.started == 1, cols.score_pct >= lo,
                    cols.score_pct <= 100 if self.band == 4 else cols.score_pct < lo + 20]
        return out


def _columns(names, cols) -> dict:
    """The grid's colIds: names from `names`, the figures from `cols` (columns named as session_users')."""
    return {"first_name": names.first_name, "last_name": names.last_name,
            **{col_id: cols[column] for col_id, column in KEYS.items()}}


def _order(columns: dict, user_id, sort_model) -> list:
    """The grid's order then last name, first name, user id (names are NOT NULL: no NULLS clause, so the name
    index serves them on both databases)."""
    return [*grid_filters.order_by(columns, sort_model, NULLS_LOW, not_null=set(NAMES)),
            columns["last_name"], columns["first_name"], user_id]


def walkable(sort_model) -> bool:
    """Whether a name index serves the order: no sort or names only (ix_users_name by last name first,
    ix_users_first_name by first name first; a descending name is read backwards, the rest sorted per name)."""
    return all(i.get("colId") in NAMES for i in sort_model or [])


def walks(total: int, end: int, users: int) -> bool:
    """Walk the name index rather than sort the rows (see the module's docstring)."""
    return total * total >= WALK_RATIO * end * users


def _named(filter_model) -> bool:
    """Whether the grid filters on a name. A walk then checks the filter on the index's entries before probing the
    session: at most one read of the index (as the count does), whatever the session's size."""
    return bool(set(filter_model or {}) & set(NAMES))


def serial(conn) -> None:
    """On PostgreSQL, no parallel workers for the rest of the transaction, for a viewer seen through their groups:
    a parallel hash join of the session's rows with the viewer's people took twice the wall time of a serial merge
    join of the two index ranges on a busy server, and three processes' CPU (a division admin at 1M: 63-84 ms
    instead of 32-38). The owner's reads of a whole 100k session gain from the workers."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")


def _platform_users(conn) -> int:
    """About how many users the name index holds: the root group's current members (group_counts)."""
    return int(conn.execute(select(func.max(schema.group_counts.c.members))).scalar() or 0)


def _session_rows(people: SessionPeople) -> tuple:
    """The session's rows and the conditions that keep those the viewer sees. A group's learners (registered_if)
    seen by a manager are read from the rows they see, fenced: PostgreSQL otherwise hashed every learner membership
    of the group's subtree first (a coach of 50,000 people: 330 ms instead of 60 ms to count a 100k session's)."""
    su = schema.session_users
    if people.registered_if is None or sees_every_user_of(people.scope, people.session_id):
        return su, [su.c.session_id == people.session_id, *people.seen(su.c)]
    return grid_filters.fenced(select(su.c.user_id, su.c.registered, su.c.started, *[su.c[c] for c in KEYS.values()])
                               .where(su.c.session_id == people.session_id, *people.seen(su.c))), []


def _matching(people: SessionPeople, filter_model) -> tuple:
    """The rows the grid lists, as (from clause, their session_users columns, conditions): users joined for a name
    filter only."""
    u = schema.users
    rows, conditions = _session_rows(people)
    return (rows.join(u, u.c.user_id == rows.c.user_id) if _named(filter_model) else rows, rows.c,
            [*conditions, *people.narrowing(rows.c), *grid_filters.where(_columns(u.c, rows.c), filter_model)])


def _nothing(cols) -> list:
    return []


def _walked(people: SessionPeople, sort_model, filter_model, start: int, end: int, extra=_nothing):
    """Rows start..end in name order, read by walking the name index and probing each user in the session (EXISTS:
    SQLite reads the session's rows first and sorts them when they are joined)."""
    su, u = schema.session_users, schema.users
    named = {k: v for k, v in (filter_model or {}).items() if k in NAMES}
    figures = {k: v for k, v in (filter_model or {}).items() if k not in NAMES}
    columns = _columns(u.c, su.c)
    in_session = (select(su.c.user_id)
                  .where(su.c.session_id == people.session_id, su.c.user_id == u.c.user_id, *people.seen(su.c),
                         *people.narrowing(su.c), *extra(su.c), *grid_filters.where(columns, figures)).exists())
    return (select(u.c.user_id, u.c.first_name, u.c.last_name).where(in_session, *grid_filters.where(columns, named))
            .order_by(*_order(columns, u.c.user_id, sort_model)).limit(end - start).offset(start)).subquery()


def _sorted(people: SessionPeople, sort_model, filter_model, start: int, end: int, extra=_nothing):
    """Rows start..end read from the session's rows (filtered before they meet users), joined with users for the
    names and sorted."""
    u = schema.users
    session, conditions = _session_rows(people)
    cols = session.c
    rows = grid_filters.fenced(select(u.c.user_id, u.c.first_name, u.c.last_name, *[cols[c] for c in KEYS.values()])
                               .select_from(session.join(u, u.c.user_id == cols.user_id))
                               .where(*conditions, *people.narrowing(cols), *extra(cols),
                                      *grid_filters.where(_columns(u.c, cols), filter_model)))
    return (select(rows.c.user_id, rows.c.first_name, rows.c.last_name)
            .order_by(*_order(_columns(rows.c, rows.c), rows.c.user_id, sort_model))
            .limit(end - start).offset(start)).subquery()


def _before(col, value, asc: bool, nulls_first: bool, inclusive: bool = False):
    """The rows placed before `value` in the column's order (or at it, inclusive); None is the empty values' place."""
    if value is None:
        if inclusive:
            return col.is_(None) if nulls_first else true()
        return false() if nulls_first else col.is_not(None)
    cmp = (col <= value if inclusive else col < value) if asc else (col >= value if inclusive else col > value)
    return or_(cmp, col.is_(None)) if nulls_first else cmp


def _from(col, value, asc: bool, nulls_first: bool):
    """The rows placed at `value` or after it in the column's order."""
    if value is None:
        return true() if nulls_first else col.is_(None)
    cmp = col >= value if asc else col <= value
    return cmp if nulls_first else or_(cmp, col.is_(None))


def _key_item(sort_model) -> dict | None:
    """The order's first term when it is a session_users column followed by names only."""
    items = sort_model or []
    if items and items[0].get("colId") in KEYS and all(i.get("colId") in NAMES for i in items[1:]):
        return items[0]
    return None


def _by_key(conn, people: SessionPeople, item: dict, sort_model, filter_model, start: int, end: int):
    """Rows start..end in the order of a session_users column, names breaking the ties (see the module's docstring),
    and the total; None past the end. The page's values of the column come first, from session_users alone, then
    how many rows come before the first of them and share it."""
    column, asc = KEYS[item["colId"]], item["sort"] == "asc"
    nulls_first = asc == (item["colId"] in NULLS_LOW)
    source, cols, conditions = _matching(people, filter_model)
    col = cols[column]
    values = conn.execute(select(col).select_from(source).where(*conditions)
                          .order_by(*grid_filters.order_by({item["colId"]: col}, [item], NULLS_LOW))
                          .limit(end - start).offset(start)).scalars().all()
    if not values:
        return None, None
    first, last = values[0], values[-1]
    total, before, alike = conn.execute(
        select(func.count(), func.sum(case((_before(col, first, asc, nulls_first), 1), else_=0)),
               func.sum(case((col.is_(None) if first is None else col == first, 1), else_=0)))
        .select_from(source).where(*conditions)).one()
    start, end = start - int(before or 0), end - int(before or 0)
    if first != last:
        def between(cols):
            return [_from(cols[column], first, asc, nulls_first),
                    _before(cols[column], last, asc, nulls_first, inclusive=True)]
        return _sorted(people, sort_model, filter_model, start, end, between), total

    def equal(cols):
        return [cols[column].is_(None) if first is None else cols[column] == first]
    names = sort_model[1:]
    if walkable(names) and (_named(filter_model) or walks(int(alike or 0), end, _platform_users(conn))):
        return _walked(people, names, filter_model, start, end, equal), total
    return _sorted(people, names, filter_model, start, end, equal), total


def _count(conn, people: SessionPeople, filter_model) -> int:
    source, _, conditions = _matching(people, filter_model)
    return int(conn.execute(select(func.count()).select_from(source).where(*conditions)).scalar_one())


def _page_rows(conn, people: SessionPeople, sort_model, filter_model, start: int, end: int) -> tuple:
    """The page's rows (a subquery of user ids and names) and the total; None past the end."""
    item = _key_item(sort_model)
    if item is not None:
        return _by_key(conn, people, item, sort_model, filter_model, start, end)
    total = _count(conn, people, filter_model)
    if start >= total:
        return None, total
    if walkable(sort_model) and (_named(filter_model) or walks(total, end, _platform_users(conn))):
        return _walked(people, sort_model, filter_model, start, end), total
    return _sorted(people, sort_model, filter_model, start, end), total


def page(conn, people: SessionPeople, sort_model: list | None, filter_model: dict | None, start: int,
         end: int) -> tuple[list, int]:
    """Rows start..end as the grid asks, with the users' deletion dates and the enrollments' status, and how
    many rows match in all."""
    u, e = schema.users, schema.enrollments
    grid_filters.order_by(_columns(u.c, schema.session_users.c), sort_model)  # an unknown sort fails before a query
    if not sees_every_user_of(people.scope, people.session_id):
        serial(conn)
    start, end = max(0, int(start)), max(int(start), int(end))
    if start == end:
        return [], _count(conn, people, filter_model)
    rows, total = _page_rows(conn, people, sort_model, filter_model, start, end)
    if rows is None:
        return [], total if total is not None else _count(conn, people, filter_model)
    # outer joins (every page row has all three) keep the page's rows the outer loop: SQLite otherwise read every
    # row of the session to meet them
    su = schema.session_users
    detail = (select(rows.c.user_id, rows.c.first_name, rows.c.last_name, su.c.registered, su.c.progress_pct,
                     su.c.score_pct, su.c.time_spent_s, su.c.last_activity_at, u.c.deleted_at, e.c.status,
                     e.c.unassigned_at)
              .select_from(rows.outerjoin(su, and_(su.c.session_id == people.session_id,
                                                   su.c.user_id == rows.c.user_id))
                           .outerjoin(u, u.c.user_id == rows.c.user_id)
                           .outerjoin(e, and_(e.c.session_id == people.session_id, e.c.user_id == rows.c.user_id)))
              .order_by(*_order(_columns(rows.c, su.c), rows.c.user_id, sort_model)))
    return conn.execute(detail).mappings().all(), total
