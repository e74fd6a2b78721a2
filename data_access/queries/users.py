"""Users (metrics.md, "Users"): the users list and a manager's team, paged in SQL over the derived user_stats,
and one user's statistics page: header, certificates, paths and programs with their blocks and attempts,
courses, answered questions, tags and public statistics.

A user's page is open to whoever sees that user (scope.visible_user: their admins and coaches, the
instructors of their sessions, and the user themself); it lists the user's whole record (every session and
course they played), since that record is what the page is about.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select

from data_access import grid_filters, schema, scope_counts
from data_access.bundle_spec import POSITIVE_REACTIONS
from data_access.scope import Scope, require_user, visible_users_probe

EXPIRING_DAYS = 30
PUBLIC_DAYS = 90
VALID, EXPIRING, EXPIRED = "Valid", "Expiring soon", "Expired"


def _f(value) -> float | None:
    return None if value is None else float(value)


def _i(value) -> int:
    return int(value or 0)


# --- the users list ---------------------------------------------------------------------------------------
def users_page(conn, scope: Scope, now: datetime, deleted: bool = False, manager_id: str | None = None,
               sort_model: list | None = None, filter_model: dict | None = None, start: int = 0,
               end: int = 100) -> dict:
    """A block of the users list (current users, or the deleted ones), or of one manager's team (the users
    they manage directly); only users the viewer sees; sorted, filtered and paged in SQL on user_stats alone,
    along its indexes."""
    us, m = schema.user_stats, schema.managers
    stmt = (select(us.c.user_id, us.c.first_name, us.c.last_name, us.c.email, us.c.time_spent_s,
                   us.c.last_activity_at, us.c.direct_reports)
            .where(us.c.deleted == (1 if deleted else 0), visible_users_probe(scope, us.c.user_id)))
    if manager_id is not None:
        require_user(conn, scope, manager_id)
        stmt = stmt.where(us.c.user_id.in_(select(m.c.user_id).where(m.c.manager_id == manager_id)))
    columns = {"first_name": us.c.first_name, "last_name": us.c.last_name, "email": us.c.email,
               "time_spent": us.c.time_spent_s, "last_activity": us.c.last_activity_key,
               "direct_reports": us.c.direct_reports}
    whole = None if manager_id is not None else (lambda: _count(conn, scope, deleted))
    rows, total = grid_filters.fetch_page_indexed(conn, stmt, columns, sort_model, filter_model, start, end,
                                                  [us.c.last_name, us.c.first_name, us.c.email, us.c.user_id],
                                                  total=whole)
    return {"total": total, "rows": [{
        "user_id": r["user_id"], "first_name": r["first_name"], "last_name": r["last_name"], "email": r["email"],
        "time_spent_s": _i(r["time_spent_s"]), "last_activity_at": r["last_activity_at"],
        "direct_reports": _i(r["direct_reports"])} for r in rows]}


def _count(conn, scope: Scope, deleted: bool) -> int:
    """How many current (or deleted) users the viewer sees, from the scope facts: one index range of their scope."""
    su = schema.scope_users
    ids = scope_counts.users_of(scope).where(su.c.deleted == (1 if deleted else 0))
    if len(scope_counts.keys(scope)) > 1:
        ids = ids.distinct()
    return int(conn.execute(select(func.count()).select_from(ids.subquery())).scalar_one())


def user_counts(conn, scope: Scope, now: datetime) -> dict:
    """How many current and deleted users the viewer sees (the tabs' labels)."""
    return {"current": _count(conn, scope, False), "deleted": _count(conn, scope, True)}


# --- one user's page --------------------------------------------------------------------------------------
def user_profile(conn, scope: Scope, now: datetime, user_id: str) -> dict:
    """The header and General section: name, email, title, groups, answered questions, their average score,
    total training time (every course attempt, as on the users list), posted messages, direct reports."""
    require_user(conn, scope, user_id)
    u, us, m, g = schema.users, schema.user_stats, schema.memberships, schema.groups
    row = conn.execute(select(u.c.user_id, u.c.first_name, u.c.last_name, u.c.email, u.c.title,
                              u.c.additional_info, u.c.deleted_at, us.c.answers, us.c.answer_score,
                              us.c.time_spent_s, us.c.posts, us.c.direct_reports, us.c.last_activity_at)
                       .outerjoin(us, us.c.user_id == u.c.user_id).where(u.c.user_id == user_id)).mappings().one()
    groups: dict[str, dict] = {}
    for r in conn.execute(select(g.c.group_id, g.c.name, m.c.role).join(m, m.c.group_id == g.c.group_id)
                          .where(m.c.user_id == user_id).order_by(g.c.name, g.c.group_id, m.c.role)):
        groups.setdefault(r.group_id, {"group_id": r.group_id, "name": r.name, "roles": []})["roles"].append(r.role)
    return {"user_id": row["user_id"], "first_name": row["first_name"], "last_name": row["last_name"],
            "email": row["email"], "title": row["title"], "additional_info": row["additional_info"],
            "deleted_at": row["deleted_at"], "groups": list(groups.values()), "answers": _i(row["answers"]),
            "answer_score": _f(row["answer_score"]), "time_spent_s": _i(row["time_spent_s"]),
            "posts": _i(row["posts"]), "direct_reports": _i(row["direct_reports"]),
            "last_activity_at": row["last_activity_at"]}


def certificate_status(expires_at: int | None, now_s: int) -> str:
    """Expired if expires_at <= now; Expiring soon if now < expires_at <= now + 30 days; else Valid."""
    if expires_at is None or expires_at > now_s + EXPIRING_DAYS * 86_400:
        return VALID
    return EXPIRED if expires_at <= now_s else EXPIRING


def certificates(conn, scope: Scope, now: datetime, user_id: str) -> list[dict]:
    """The user's certificates, most recently delivered first. Path name and Path session are filled when the
    certificate was earned on a path (its program, or its session's program, is of kind path) and empty in a
    program context."""
    require_user(conn, scope, user_id)
    c, s, p = schema.certificates, schema.sessions, schema.programs
    sp = p.alias("session_program")
    path_name = case((p.c.kind == "path", p.c.name), (sp.c.kind == "path", sp.c.name))
    rows = conn.execute(
        select(c.c.certificate_id, c.c.name, c.c.delivered_at, c.c.expires_at, path_name.label("path"),
               case((sp.c.kind == "path", s.c.name)).label("path_session"))
        .outerjoin(p, p.c.program_id == c.c.program_id).outerjoin(s, s.c.session_id == c.c.session_id)
        .outerjoin(sp, sp.c.program_id == s.c.program_id)
        .where(c.c.user_id == user_id)
        .order_by(c.c.delivered_at.desc().nulls_last(), c.c.name, c.c.certificate_id)).all()
    now_s = int(now.timestamp())
    return [{"certificate_id": r.certificate_id, "name": r.name, "path": r.path, "path_session": r.path_session,
             "status": certificate_status(r.expires_at, now_s), "delivered_at": r.delivered_at,
             "expires_at": r.expires_at} for r in rows]


ENROLLMENT_STATUS = case((schema.enrollments.c.unassigned_at.is_not(None), "Unassigned"),
                         (schema.enrollments.c.status == "waiting_list", "Waiting list"), else_="Registered")


def user_sessions(conn, scope: Scope, now: datetime, user_id: str) -> list[dict]:
    """Paths and programs: every session the user is enrolled in (any status), latest start first, with their
    progress, session score, time spent, the session's end and their last activity in it."""
    require_user(conn, scope, user_id)
    su, s, p, e = schema.session_users, schema.sessions, schema.programs, schema.enrollments
    rows = conn.execute(
        select(s.c.session_id, s.c.name, p.c.name.label("program"), p.c.kind, s.c.start_at, s.c.end_at,
               su.c.progress_pct, su.c.score_pct, su.c.time_spent_s, su.c.last_activity_at,
               ENROLLMENT_STATUS.label("status"))
        .select_from(su).join(s, s.c.session_id == su.c.session_id).join(p, p.c.program_id == s.c.program_id)
        .join(e, and_(e.c.session_id == su.c.session_id, e.c.user_id == su.c.user_id))
        .where(su.c.user_id == user_id).order_by(s.c.start_at.desc(), s.c.name, s.c.session_id)).all()
    return [{"session_id": r.session_id, "name": r.name, "program": r.program, "kind": r.kind,
             "start_at": r.start_at, "end_at": r.end_at, "progress": float(r.progress_pct), "score": _f(r.score_pct),
             "time_spent_s": _i(r.time_spent_s), "last_activity_at": r.last_activity_at, "status": r.status}
            for r in rows]


def _latest(partition, order) -> object:
    return func.row_number().over(partition_by=partition, order_by=order)


def session_blocks(conn, scope: Scope, now: datetime, user_id: str, session_id: str) -> list[dict]:
    """The user's blocks in one of their sessions: progress (a course: its most recent attempt's; an assessment
    or a classroom: 100 once done), score, time, attempts (slots attended for a classroom), last activity."""
    require_user(conn, scope, user_id)
    su, b, br, ca = schema.session_users, schema.blocks, schema.block_results, schema.course_attempts
    if conn.execute(select(su.c.user_id).where(su.c.user_id == user_id, su.c.session_id == session_id)).first() is None:
        raise LookupError(f"no session {session_id!r} for user {user_id!r}")
    rn = _latest((ca.c.course_id,), (func.coalesce(ca.c.attempt_no, 0).desc(), ca.c.started_at.desc()))
    last = (select(ca.c.course_id, ca.c.progress_pct, rn.label("rn"))
            .where(ca.c.user_id == user_id, ca.c.session_id == session_id)).subquery()
    progress = case((b.c.kind == "course", func.coalesce(last.c.progress_pct, 0.0)),
                    (br.c.completed == 1, 100.0), else_=0.0)
    rows = conn.execute(
        select(b.c.block_id, b.c.position, b.c.kind, b.c.title, b.c.course_id, progress.label("progress"),
               br.c.score_pct, br.c.time_spent_s, br.c.attempts, br.c.last_activity_at)
        .select_from(b)
        .outerjoin(br, and_(br.c.block_id == b.c.block_id, br.c.user_id == user_id))
        .outerjoin(last, and_(last.c.course_id == b.c.course_id, last.c.rn == 1))
        .where(b.c.session_id == session_id).order_by(b.c.position, b.c.block_id)).all()
    return [{"block_id": r.block_id, "position": r.position, "kind": r.kind, "title": r.title,
             "course_id": r.course_id, "progress": float(r.progress), "score": _f(r.score_pct),
             "time_spent_s": None if r.time_spent_s is None else int(r.time_spent_s), "attempts": _i(r.attempts),
             "last_activity_at": r.last_activity_at} for r in rows]


def course_attempts(conn, scope: Scope, now: datetime, user_id: str, course_id: str,
                    session_id: str | None = None) -> list[dict]:
    """Each attempt of the user on a course (only in one session with session_id), latest first: score, date,
    time, language and the program session it was played in (empty: outside any program)."""
    require_user(conn, scope, user_id)
    ca, s, p = schema.course_attempts, schema.sessions, schema.programs
    stmt = (select(ca.c.attempt_id, ca.c.attempt_no, ca.c.score_pct, ca.c.started_at, ca.c.time_spent_s,
                   ca.c.language, ca.c.session_id, s.c.name.label("session"), p.c.name.label("program"),
                   ca.c.completed_at, ca.c.progress_pct)
            .outerjoin(s, s.c.session_id == ca.c.session_id).outerjoin(p, p.c.program_id == s.c.program_id)
            .where(ca.c.user_id == user_id, ca.c.course_id == course_id)
            .order_by(ca.c.started_at.desc(), ca.c.attempt_id))
    if session_id is not None:
        stmt = stmt.where(ca.c.session_id == session_id)
    return [{"attempt_id": r.attempt_id, "attempt_no": r.attempt_no, "score": _f(r.score_pct),
             "started_at": r.started_at, "time_spent_s": _i(r.time_spent_s), "language": r.language,
             "session_id": r.session_id, "session": r.session, "program": r.program,
             "completed": r.completed_at is not None, "progress": _f(r.progress_pct)}
            for r in conn.execute(stmt)]


def user_courses(conn, scope: Scope, now: datetime, user_id: str) -> list[dict]:
    """Every course the user played (in programs or not), latest activity first: the most recent attempt's
    progress and score (latest start), the number of attempts, time over all of them, last activity."""
    require_user(conn, scope, user_id)
    ca, c = schema.course_attempts, schema.courses
    part = (ca.c.course_id,)
    inner = (select(ca.c.course_id, ca.c.progress_pct, ca.c.score_pct,
                    _latest(part, (ca.c.started_at.desc(), func.coalesce(ca.c.attempt_no, 0).desc())).label("rn"),
                    func.count().over(partition_by=part).label("attempts"),
                    func.sum(func.coalesce(ca.c.time_spent_s, 0)).over(partition_by=part).label("time_s"),
                    func.max(ca.c.last_activity_at).over(partition_by=part).label("last_at"))
             .where(ca.c.user_id == user_id)).subquery()
    rows = conn.execute(select(inner, c.c.name).join(c, c.c.course_id == inner.c.course_id)
                        .where(inner.c.rn == 1)
                        .order_by(inner.c.last_at.desc().nulls_last(), c.c.name, inner.c.course_id)).all()
    return [{"course_id": r.course_id, "name": r.name, "progress": _f(r.progress_pct), "score": _f(r.score_pct),
             "attempts": int(r.attempts), "time_spent_s": _i(r.time_s), "last_activity_at": r.last_at}
            for r in rows]


def answered_questions(conn, scope: Scope, now: datetime, user_id: str) -> list[dict]:
    """One line per question the user answered: the mean score of all their answers to it (every answer
    counts, as in the Average score), how many answers, the last one; latest first."""
    require_user(conn, scope, user_id)
    an, a = schema.answers, schema.activities
    rows = conn.execute(
        select(an.c.activity_id, a.c.title, func.avg(an.c.score_pct).label("score"), func.count().label("n"),
               func.max(an.c.answered_at).label("last_at"))
        .join(a, a.c.activity_id == an.c.activity_id).where(an.c.user_id == user_id)
        .group_by(an.c.activity_id, a.c.title)
        .order_by(func.max(an.c.answered_at).desc(), a.c.title, an.c.activity_id)).all()
    return [{"activity_id": r.activity_id, "question": r.title, "score": _f(r.score), "answers": int(r.n),
             "last_activity_at": r.last_at} for r in rows]


def question_answers(conn, scope: Scope, now: datetime, user_id: str, activity_id: str) -> list[dict]:
    """Every answer of the user to one question, latest first."""
    require_user(conn, scope, user_id)
    an = schema.answers
    rows = conn.execute(select(an.c.score_pct, an.c.answered_at, an.c.session_id)
                        .where(an.c.user_id == user_id, an.c.activity_id == activity_id)
                        .order_by(an.c.answered_at.desc())).all()
    return [{"score": _f(r.score_pct), "answered_at": r.answered_at, "session_id": r.session_id} for r in rows]


def tag_average(training: float | None, assessment: float | None) -> float | None:
    """The mean of the two scores that exist (one alone is the average; none: empty)."""
    present = [v for v in (training, assessment) if v is not None]
    return sum(present) / len(present) if present else None


def user_tags(conn, scope: Scope, now: datetime, user_id: str) -> list[dict]:
    """Per tag: training score (answers to questions tagged T), assessment score (assessments on blocks tagged
    T), their average, and the work behind them (answers + assessments); by tag name."""
    require_user(conn, scope, user_id)
    t = schema.user_tags
    rows = conn.execute(select(t).where(t.c.user_id == user_id).order_by(t.c.tag)).mappings().all()
    return [{"tag": r["tag"], "training": _f(r["training_score"]), "assessment": _f(r["assessment_score"]),
             "average": tag_average(_f(r["training_score"]), _f(r["assessment_score"])),
             "answers": int(r["answers"]), "assessments": int(r["assessments"]),
             "work": int(r["answers"]) + int(r["assessments"])} for r in rows]


# --- public statistics ------------------------------------------------------------------------------------
def is_author_profile(conn, user_id: str) -> bool:
    """The viewed user (not the viewer) decides: the platform owner, an admin or author in any group, or the
    main author of a course get the author figures; everyone else the learner figures."""
    m, c = schema.memberships, schema.courses
    role = select(m.c.user_id).where(m.c.user_id == user_id, m.c.role.in_(("admin", "author")))
    authored = select(c.c.course_id).where(c.c.author_id == user_id)
    return conn.execute(select(role.exists() | authored.exists())).scalar_one()


def public_stats(conn, scope: Scope, now: datetime, user_id: str) -> dict:
    """The four public figures of the last 90 days (since now - 90 days, inclusive, up to now)."""
    require_user(conn, scope, user_id)
    now_s = int(now.timestamp())
    since = int((now - timedelta(days=PUBLIC_DAYS)).timestamp())
    if is_author_profile(conn, user_id):
        return {"kind": "author", **_author_figures(conn, user_id, since, now_s)}
    return {"kind": "learner", **_learner_figures(conn, user_id, since, now_s)}


def _author_figures(conn, user_id: str, since: int, now_s: int) -> dict:
    c, a, av, po, r = schema.courses, schema.activities, schema.activity_views, schema.posts, schema.reactions
    theirs = select(c.c.course_id).where(c.c.author_id == user_id)
    their_activities = select(a.c.activity_id).where(a.c.course_id.in_(theirs))
    views = conn.execute(select(func.count()).select_from(av).where(
        av.c.activity_id.in_(their_activities), av.c.started_at >= since, av.c.started_at <= now_s)).scalar_one()
    comments = conn.execute(select(func.count()).select_from(po).where(
        po.c.space == "course", po.c.context_id.in_(theirs), po.c.created_at >= since,
        po.c.created_at <= now_s)).scalar_one()
    positive, total = conn.execute(select(func.sum(case((r.c.kind.in_(POSITIVE_REACTIONS), 1), else_=0)),
                                          func.count())
                                   .where(r.c.activity_id.in_(their_activities), r.c.created_at >= since,
                                          r.c.created_at <= now_s)).one()
    published = conn.execute(select(func.count()).select_from(c).where(c.c.author_id == user_id,
                                                                       c.c.status == "active")).scalar_one()
    return {"course_views": int(views), "comments_received": int(comments),
            "reaction_score": 100.0 * int(positive) / int(total) if total else None,
            "published_courses": int(published)}


def _learner_figures(conn, user_id: str, since: int, now_s: int) -> dict:
    ca, po, r = schema.course_attempts, schema.posts, schema.reactions
    parent = po.alias("parent")
    completed, time_s = conn.execute(select(
        func.sum(case((and_(ca.c.completed_at >= since, ca.c.completed_at <= now_s), 1), else_=0)),
        func.sum(case((and_(ca.c.started_at >= since, ca.c.started_at <= now_s), func.coalesce(ca.c.time_spent_s, 0)),
                      else_=0)))
        .where(ca.c.user_id == user_id)).one()
    their_posts = select(po.c.post_id).where(po.c.user_id == user_id)
    comments = conn.execute(select(func.count()).select_from(po).join(parent, parent.c.post_id == po.c.parent_id)
                            .where(parent.c.user_id == user_id, po.c.user_id != user_id, po.c.created_at >= since,
                                   po.c.created_at <= now_s)).scalar_one()
    likes = conn.execute(select(func.count()).select_from(r).where(
        r.c.post_id.in_(their_posts), r.c.kind == "like", r.c.user_id != user_id, r.c.created_at >= since,
        r.c.created_at <= now_s)).scalar_one()
    return {"completed_courses": _i(completed), "comments_received": int(comments), "reactions_received": int(likes),
            "training_time_s": _i(time_s)}
