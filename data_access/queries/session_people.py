"""A session's users as grid pages (a session's Individual results, a group's learners of a session): the rows of
session_users the viewer sees, narrowed as the page asks, with the users' names; sorted, filtered and paged in SQL.

Every count reads session_users alone (each of its rows is an enrollment, whose user exists, so joining users and
enrollments never removes a row), with users joined only when the grid filters on a name. The rows of a page are
read in one of two ways:

- walk: in name order (the default), the users' name index (ix_users_name) is read in order and each user probed
  in the session, so the database stops after `end` matching rows: about end × users / total probes;
- sort: the matching rows are read first (fenced, so the planner cannot turn this into a walk), joined with users
  for their names and sorted: about `total` probes. For any other order, and for a session small against the
  platform (a walk would read most of the index before finding `end` of its few users).

Walk when total² ≥ WALK_RATIO × end × users. In an order by a session_users column (progress, score…), names break
the ties, and one value is often shared by tens of thousands of learners (progress 0, no score yet): the page's
values of that column are read from session_users alone first; a page inside one value is that value's learners in
name order (walked or sorted as above), a page across values sorts only the learners between its first and last
value. Either way enrollments and deletion dates are read for the page's rows only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, case, false, func, or_, select, true

from data_access import grid_filters, schema
from data_access.scope import Scope, one_session_users_probe

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
    """Whether an order starts with the name index's: no sort, or names only, the last name first."""
    items = sort_model or []
    return all(i.get("colId") in NAMES for i in items) and (not items or items[0].get("colId") == "last_name")


def walks(total: int, end: int, users: int) -> bool:
    """Walk the name index rather than sort the rows (see the module's docstring)."""
    return total * total >= WALK_RATIO * end * users


def _platform_users(conn) -> int:
    """About how many users the name index holds: the root group's current members (group_counts)."""
    return int(conn.execute(select(func.max(schema.group_counts.c.members))).scalar() or 0)


def _seen_rows(people: SessionPeople):
    """The session's rows the viewer sees, fenced: the viewer's scope is applied first (on an estimate PostgreSQL
    gets right), the page's narrowing and the grid's filters after."""
    su = schema.session_users
    return grid_filters.fenced(select(su.c.user_id, su.c.registered, su.c.started, su.c.progress_pct, su.c.score_pct,
                                      su.c.time_spent_s, su.c.last_activity_at)
                               .where(su.c.session_id == people.session_id, *people.seen(su.c)))


def _filtered(people: SessionPeople, seen, filter_model) -> tuple:
    """The seen rows narrowed and filtered as the grid asks: (from clause, conditions); users joined for a name
    filter only."""
    u = schema.users
    named = bool(set(filter_model or {}) & set(NAMES))
    source = seen.join(u, u.c.user_id == seen.c.user_id) if named else seen
    return source, [*people.narrowing(seen.c), *grid_filters.where(_columns(u.c, seen.c), filter_model)]


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


def _sorted(people: SessionPeople, seen, sort_model, filter_model, start: int, end: int, extra=_nothing):
    """Rows start..end read from the seen rows, joined with users for the names and sorted."""
    u = schema.users
    rows = grid_filters.fenced(select(u.c.user_id, u.c.first_name, u.c.last_name, *[seen.c[c] for c in KEYS.values()])
                               .select_from(seen.join(u, u.c.user_id == seen.c.user_id))
                               .where(*people.narrowing(seen.c), *extra(seen.c)))
    columns = _columns(rows.c, rows.c)
    return (select(rows.c.user_id, rows.c.first_name, rows.c.last_name)
            .where(*grid_filters.where(columns, filter_model)).order_by(*_order(columns, rows.c.user_id, sort_model))
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


def _by_key(conn, people: SessionPeople, seen, item: dict, sort_model, filter_model, start: int, end: int):
    """Rows start..end in the order of a session_users column, names breaking the ties (see the module's docstring):
    the page's values of the column first, from session_users alone."""
    column, asc = KEYS[item["colId"]], item["sort"] == "asc"
    nulls_first = asc == (item["colId"] in NULLS_LOW)
    col = seen.c[column]
    source, conditions = _filtered(people, seen, filter_model)
    order = grid_filters.order_by({item["colId"]: col}, [item], NULLS_LOW)
    values = conn.execute(select(col).select_from(source).where(*conditions).order_by(*order)
                          .limit(end - start).offset(start)).scalars().all()
    first, last = values[0], values[-1]
    same = col.is_(None) if first is None else col == first
    before, alike = conn.execute(select(func.sum(case((_before(col, first, asc, nulls_first), 1), else_=0)),
                                        func.sum(case((same, 1), else_=0)))
                                 .select_from(source).where(*conditions)).one()
    start, end = start - int(before or 0), end - int(before or 0)
    if first != last:
        def between(cols):
            return [_from(cols[column], first, asc, nulls_first),
                    _before(cols[column], last, asc, nulls_first, inclusive=True)]
        return _sorted(people, seen, sort_model, filter_model, start, end, between)

    def equal(cols):
        return [cols[column].is_(None) if first is None else cols[column] == first]
    names = sort_model[1:]
    if walkable(names) and walks(int(alike or 0), end, _platform_users(conn)):
        return _walked(people, names, filter_model, start, end, equal)
    return _sorted(people, seen, names, filter_model, start, end, equal)


def page(conn, people: SessionPeople, sort_model: list | None, filter_model: dict | None, start: int,
         end: int) -> tuple[list, int]:
    """Rows start..end as the grid asks, with the users' deletion dates and the enrollments' status, and how
    many rows match in all."""
    u, e = schema.users, schema.enrollments
    grid_filters.order_by(_columns(u.c, schema.session_users.c), sort_model)  # an unknown sort fails before a query
    start, end = max(0, int(start)), max(int(start), int(end))
    seen = _seen_rows(people)
    source, conditions = _filtered(people, seen, filter_model)
    total = int(conn.execute(select(func.count()).select_from(source).where(*conditions)).scalar_one())
    if start >= min(end, total):
        return [], total
    item = _key_item(sort_model)
    if item is not None:
        rows = _by_key(conn, people, seen, item, sort_model, filter_model, start, end)
    elif walkable(sort_model) and walks(total, end, _platform_users(conn)):
        rows = _walked(people, sort_model, filter_model, start, end)
    else:
        rows = _sorted(people, seen, sort_model, filter_model, start, end)
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
