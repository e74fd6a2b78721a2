"""The database schema: SQLAlchemy Core tables.

Conventions
- Ids are the source platform's opaque strings (<= 64 chars), used as keys as they are, so a delta
  bundle resolves references against stored rows without a mapping table.
- Timestamps are stored as integer epoch seconds (UTC): portable arithmetic ("days since") on
  SQLite and PostgreSQL alike, compact, and index-friendly.
- Tables under "Derived facts" are maintained by the importer (data_access.write.derive), never written
  by hand: the facts every page needs (a user's last login, a user's progress per session) are
  computed once per import instead of from raw events per request.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

ID = String(64)


def _ts(name: str, **kw) -> Column:
    return Column(name, BigInteger, **kw)


# --- Organisation ---------------------------------------------------------------------------
groups = Table(
    "groups", metadata,
    Column("group_id", ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("parent_id", ID, index=True),
    # derived: depth in the tree, the root (platform group) is 0
    Column("level", SmallInteger),
)

group_closure = Table(
    "group_closure", metadata,  # derived: every (ancestor, descendant) pair, a group is its own
    Column("ancestor_id", ID, nullable=False),
    Column("descendant_id", ID, nullable=False),
    Column("depth", SmallInteger, nullable=False),
    PrimaryKeyConstraint("ancestor_id", "descendant_id"),
    Index("ix_group_closure_descendant", "descendant_id"),
)

users = Table(
    "users", metadata,
    Column("user_id", ID, primary_key=True),
    Column("first_name", Text, nullable=False),
    Column("last_name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("email_lower", Text, nullable=False, unique=True),
    Column("title", Text),
    Column("additional_info", Text),
    _ts("registered_at"),
    Column("invited_by", ID),
    _ts("deleted_at"),
    _ts("auto_deletion_at"),
    # derived from logins
    _ts("last_login_at"),
    Column("login_count", Integer, nullable=False, server_default="0"),
    Index("ix_users_last_login_at", "last_login_at"),
    # a large session's learners in name order: the index walked, each user probed in the session (session_people)
    Index("ix_users_name", "last_name", "first_name", "user_id"),
    Index("ix_users_first_name", "first_name", "last_name", "user_id"),
)

user_fields = Table(
    "user_fields", metadata,
    Column("user_id", ID, nullable=False),
    Column("field", Text, nullable=False),
    Column("value", Text),
    PrimaryKeyConstraint("user_id", "field"),
)

memberships = Table(
    "memberships", metadata,
    Column("user_id", ID, nullable=False),
    Column("group_id", ID, nullable=False),
    Column("role", String(16), nullable=False),
    PrimaryKeyConstraint("user_id", "group_id", "role"),
    Index("ix_memberships_group_role", "group_id", "role"),
)

managers = Table(
    "managers", metadata,
    Column("user_id", ID, nullable=False),
    Column("manager_id", ID, nullable=False),
    PrimaryKeyConstraint("user_id", "manager_id"),
    Index("ix_managers_manager", "manager_id"),
)

logins = Table(
    "logins", metadata,
    Column("user_id", ID, nullable=False),
    _ts("at", nullable=False),
    PrimaryKeyConstraint("user_id", "at"),
    Index("ix_logins_at_user", "at", "user_id"),
)

# --- Content --------------------------------------------------------------------------------
courses = Table(
    "courses", metadata,
    Column("course_id", ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("author_id", ID, nullable=False, index=True),
    Column("coauthor_ids", Text),
    Column("status", String(16), nullable=False),
    _ts("created_at"),
    _ts("updated_at"),
    Column("source_language", Text),
    Column("available_languages", Text),
    Column("unavailable_languages", Text),
    Column("tags", Text),
)

activities = Table(
    "activities", metadata,
    Column("activity_id", ID, primary_key=True),
    Column("course_id", ID, nullable=False, index=True),
    Column("position", Integer),
    Column("title", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("tags", Text),
)

# --- Programs -------------------------------------------------------------------------------
programs = Table(
    "programs", metadata,
    Column("program_id", ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("description", Text),
)

sessions = Table(
    "sessions", metadata,
    Column("session_id", ID, primary_key=True),
    Column("program_id", ID, nullable=False, index=True),
    Column("name", Text, nullable=False),
    _ts("start_at"),
    _ts("end_at"),
    Column("author_id", ID, nullable=False),
    Column("group_id", ID, nullable=False, index=True),
    Column("expected_duration_min", Integer),
    Column("tags", Text),
    Column("description", Text),
    Index("ix_sessions_start_end", "start_at", "end_at"),
)

session_instructors = Table(
    "session_instructors", metadata,
    Column("session_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    PrimaryKeyConstraint("session_id", "user_id"),
    Index("ix_session_instructors_user", "user_id"),
)

blocks = Table(
    "blocks", metadata,
    Column("block_id", ID, primary_key=True),
    Column("session_id", ID, nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("course_id", ID, index=True),
    _ts("due_at"),
    Column("tags", Text),
    Column("passing_score_pct", Float),
    Index("ix_blocks_session_position", "session_id", "position"),
)

classroom_slots = Table(
    "classroom_slots", metadata,
    Column("slot_id", ID, primary_key=True),
    Column("block_id", ID, nullable=False, index=True),
    Column("title", Text),
    _ts("start_at"),
    _ts("end_at"),
    Column("duration_hours", Float),
)

slot_attendance = Table(
    "slot_attendance", metadata,
    Column("slot_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("attendance_pct", Float),
    PrimaryKeyConstraint("slot_id", "user_id"),
    Index("ix_slot_attendance_user", "user_id"),
)

enrollments = Table(
    "enrollments", metadata,
    Column("session_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("status", String(16), nullable=False),
    Column("source", String(16), nullable=False),
    Column("group_id", ID),
    _ts("assigned_at"),
    _ts("unassigned_at"),
    PrimaryKeyConstraint("session_id", "user_id"),
    Index("ix_enrollments_user", "user_id"),
    Index("ix_enrollments_group_session", "group_id", "session_id"),  # a coach's sessions (scope.py)
)

# --- Learning activity ----------------------------------------------------------------------
course_attempts = Table(
    "course_attempts", metadata,
    Column("attempt_id", ID, primary_key=True),
    Column("user_id", ID, nullable=False),
    Column("course_id", ID, nullable=False, index=True),
    Column("session_id", ID),
    Column("attempt_no", Integer),
    _ts("started_at", nullable=False),
    _ts("last_activity_at"),
    _ts("completed_at"),
    Column("progress_pct", Float),
    Column("score_pct", Float),
    Column("time_spent_s", BigInteger),
    Column("language", Text),
    Index("ix_course_attempts_session_user_course", "session_id", "user_id", "course_id"),
    Index("ix_course_attempts_user", "user_id"),
)

assessment_results = Table(
    "assessment_results", metadata,
    Column("user_id", ID, nullable=False),
    Column("block_id", ID, nullable=False),
    Column("score_pct", Float),
    Column("passed", SmallInteger),
    _ts("submitted_at", nullable=False),
    PrimaryKeyConstraint("user_id", "block_id"),
    Index("ix_assessment_results_block", "block_id"),
)

answers = Table(
    "answers", metadata,
    Column("user_id", ID, nullable=False),
    Column("activity_id", ID, nullable=False),
    Column("session_id", ID),
    Column("score_pct", Float),
    _ts("answered_at", nullable=False),
    PrimaryKeyConstraint("user_id", "activity_id", "answered_at"),
    Index("ix_answers_activity", "activity_id"),
)

certificates = Table(
    "certificates", metadata,
    Column("certificate_id", ID, primary_key=True),
    Column("user_id", ID, nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("session_id", ID, index=True),
    Column("program_id", ID),
    _ts("delivered_at"),
    _ts("expires_at"),
)

# --- Collaboration --------------------------------------------------------------------------
posts = Table(
    "posts", metadata,
    Column("post_id", ID, primary_key=True),
    Column("user_id", ID, nullable=False, index=True),
    _ts("created_at", nullable=False),
    Column("space", String(16), nullable=False),
    Column("context_id", ID, nullable=False),
    Column("parent_id", ID, index=True),
    Column("activity_id", ID, index=True),
    Column("archived", SmallInteger),
    Index("ix_posts_space_context", "space", "context_id"),
)

reactions = Table(
    "reactions", metadata,
    Column("user_id", ID, nullable=False),
    _ts("created_at", nullable=False),
    Column("kind", String(24), nullable=False),
    Column("activity_id", ID, index=True),
    Column("post_id", ID, index=True),
    # key helper: "a:<activity_id>" or "p:<post_id>" (a primary key cannot hold NULLs)
    Column("target", String(70), nullable=False),
    PrimaryKeyConstraint("user_id", "created_at", "kind", "target"),
    # reactions on an author's courses in the last 90 days, counted in the index (public statistics)
    Index("ix_reactions_activity_created", "activity_id", "created_at", "kind"),
)

activity_views = Table(
    "activity_views", metadata,
    Column("user_id", ID, nullable=False),
    Column("activity_id", ID, nullable=False),
    _ts("started_at", nullable=False),
    PrimaryKeyConstraint("user_id", "activity_id", "started_at"),
    Index("ix_activity_views_activity", "activity_id"),
)

downloads = Table(
    "downloads", metadata,
    Column("user_id", ID, nullable=False),
    Column("activity_id", ID, nullable=False),
    _ts("at", nullable=False),
    PrimaryKeyConstraint("user_id", "activity_id", "at"),
    Index("ix_downloads_activity", "activity_id"),
)

# --- Derived facts (maintained by data_access.write.derive at import) -------------------------------
block_results = Table(
    "block_results", metadata,
    Column("session_id", ID, nullable=False),
    Column("block_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("completed", SmallInteger, nullable=False),
    Column("score_pct", Float),
    Column("time_spent_s", BigInteger),
    Column("attempts", Integer, nullable=False),
    Column("passed", SmallInteger),
    _ts("started_at"),
    _ts("last_activity_at"),
    # when a completed block was completed (metrics.md "Activity trend"): course = the earliest completed_at of
    # the learner's attempts in the session on the course; assessment = submitted_at; classroom = the start of
    # the first slot attended. NULL when not completed.
    _ts("completed_at"),
    PrimaryKeyConstraint("block_id", "user_id"),
    Index("ix_block_results_session_user", "session_id", "user_id"),
)

session_users = Table(
    "session_users", metadata,
    Column("session_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("registered", SmallInteger, nullable=False),  # status registered and not unassigned
    Column("blocks_total", Integer, nullable=False),
    Column("blocks_completed", Integer, nullable=False),
    Column("progress_pct", Float, nullable=False),
    Column("score_pct", Float),
    Column("time_spent_s", BigInteger, nullable=False),
    Column("started", SmallInteger, nullable=False),
    Column("verified", SmallInteger, nullable=False),
    _ts("start_at"),
    _ts("last_activity_at"),
    # the learner's earliest activity in the session (the pace's start): the earliest started_at of their
    # block_results (a course attempt started, an assessment submitted, a slot attended); NULL without any.
    # Kept by derive.refresh_first_activity, after the row.
    _ts("first_activity_at"),
    PrimaryKeyConstraint("session_id", "user_id"),
    Index("ix_session_users_user", "user_id"),
)

# Logins per (user, UTC day): day = at // 86400 (days since 1970-01-01 UTC), the day's login count, first and last
# login, and prev_at = the user's latest login before that day. Weeks start on Monday 00:00 in the configured
# time zone (a setting), rarely a UTC midnight; but a week is longer than a day, so at most one week boundary B
# falls inside a UTC day, and a user is active in the week starting at B exactly when one of their days has
# first_at in the week and prev_at < B (the day of their first login of the week: counted once, no DISTINCT) or
# first_at < B <= last_at (the day holding B). data_access.queries.trends; kept by derive.refresh_login_days.
login_days = Table(
    "login_days", metadata,
    Column("user_id", ID, nullable=False),
    Column("day", Integer, nullable=False),
    Column("logins", Integer, nullable=False),
    _ts("first_at", nullable=False),
    _ts("last_at", nullable=False),
    _ts("prev_at"),
    PrimaryKeyConstraint("user_id", "day"),
    Index("ix_login_days_day", "day", "first_at", "prev_at", "last_at", "user_id"),
    # some users' weeks (a division's weekly active learners): each user's days read from the index alone
    Index("ix_login_days_user_days", "user_id", "day", "first_at", "prev_at", "last_at"),
)

# --- Scope facts (data_access.write.derive_scope): what a viewer's Overview and users-list counts read for their
# whole scope, kept per scope key: a group G (its admins' and coaches' scope: users with a membership of any role
# in G's subtree) or PLATFORM ('': every user, the platform owner's scope).
# scope_users: one row per (scope key, user), with what the Overview counts: learner (a learner role in any group,
# as the Overview's "learners"), deleted, and the last login copied from users.
scope_users = Table(
    "scope_users", metadata,
    Column("group_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("learner", SmallInteger, nullable=False),
    Column("deleted", SmallInteger, nullable=False),
    _ts("last_login_at"),
    PrimaryKeyConstraint("group_id", "user_id"),
    Index("ix_scope_users_counts", "group_id", "deleted", "learner", "last_login_at", "user_id"),
    Index("ix_scope_users_user", "user_id"),
    sqlite_with_rowid=False,  # rows stored in key order: a scope's people are one range
)

# scope_recency: per scope key and UTC day of last login (-1: never), how many current learners last logged in
# that day: the Overview's learners, active, never and recency bars are sums over a few hundred rows, plus the
# scope_users of the one day a `now`-relative limit falls in.
scope_recency = Table(
    "scope_recency", metadata,
    Column("group_id", ID, nullable=False),
    Column("day", Integer, nullable=False),
    Column("learners", Integer, nullable=False),
    PrimaryKeyConstraint("group_id", "day"),
    sqlite_with_rowid=False,
)

# scope_login_days: per scope key and UTC day d, the scope's users (any role, deleted included) with a login that
# day (active) and, for k = 1..6, those whose previous login was more than k days before (gap_k: d - prev_day > k;
# no previous login counts everywhere). A user's day is the first of their week starting at day b (a UTC midnight)
# exactly when d - prev_day > d - b, so a week's active users are sum over its days of gap_(d-b) (gap_0 = active).
# Kept for the last LOGIN_FACT_DAYS days of logins (derive_scope), the span the Overview's 12 weeks read.
scope_login_days = Table(
    "scope_login_days", metadata,
    Column("group_id", ID, nullable=False),
    Column("day", Integer, nullable=False),
    Column("active", Integer, nullable=False),
    *[Column(f"gap{k}", Integer, nullable=False) for k in range(1, 7)],
    PrimaryKeyConstraint("group_id", "day"),
    sqlite_with_rowid=False,
)

# scope_sessions: per scope key and session, the registrations (session_users.registered = 1) of the key's users
# (any role, deleted included, as scope.visible_users_probe) and the sum of their progress, so the Overview's
# "Registered in running sessions" of a one-key viewer is a sum over its running sessions' rows (derive_scope).
scope_sessions = Table(
    "scope_sessions", metadata,
    Column("group_id", ID, nullable=False),
    Column("session_id", ID, nullable=False),
    Column("registered", Integer, nullable=False),
    Column("progress_sum", Float, nullable=False),
    PrimaryKeyConstraint("group_id", "session_id"),
    sqlite_with_rowid=False,
)

# --- Cohort facts (data_access.write.derive_cohort): a large cohort's weekly trend, per (session S, scope key K) for
# the shares of at least MIN_PARTICIPANTS of S's participants (registered, not deleted) that K holds: K is PLATFORM
# (every participant: the owner's and an instructor's view of S) or a group some admin or coach manages (their view
# of S: its participants in the group's subtree, as scope_users holds them).
# cohort_scopes: the share's participants. cohort_days: per UTC day d, over the share, the participants with a login
# on d (active) and, for k = 1..6, those of them whose previous login was more than k days before (gap_k, as in
# scope_login_days: a UTC week's active participants are the sum over its days of gap_(d - its first day)), for the
# days of S's weeks (from 7 days before start_at to 7 days after end_at); the blocks they completed in
# (d 00:00, d + 1 00:00] (completed: so that "completed by the end of a week", a completion time <= its Monday 00:00,
# is the sum of the days before that Monday); and the latest of those logins and completion times (last_at), which
# says whether the day holds anything after a given now.
cohort_scopes = Table(
    "cohort_scopes", metadata,
    Column("session_id", ID, nullable=False),
    Column("group_id", ID, nullable=False),
    Column("participants", Integer, nullable=False),
    PrimaryKeyConstraint("session_id", "group_id"),
    sqlite_with_rowid=False,
)

cohort_days = Table(
    "cohort_days", metadata,
    Column("session_id", ID, nullable=False),
    Column("group_id", ID, nullable=False),
    Column("day", Integer, nullable=False),
    Column("active", Integer, nullable=False),
    *[Column(f"gap{k}", Integer, nullable=False) for k in range(1, 7)],
    Column("completed", Integer, nullable=False),
    _ts("last_at", nullable=False),
    PrimaryKeyConstraint("session_id", "group_id", "day"),
    sqlite_with_rowid=False,
)

# Group statistics (metrics.md, "Group statistics"), kept at import by data_access.write.derive.refresh_group_facts:
# one row per (group G, G's session S) with the sums over G's learners (role learner in G's subtree, deleted
# included) currently registered in S, so a group page (the platform group: every session) reads a few
# thousand rows instead of joining every enrollment with every membership. Its (G, S) pairs are also the sessions an
# admin or coach of G sees (scope.visible_sessions): rebuilt by the import and the xAPI fold's refresher.
group_sessions = Table(
    "group_sessions", metadata,
    Column("group_id", ID, nullable=False),
    Column("session_id", ID, nullable=False),
    Column("learners", Integer, nullable=False),
    Column("started", Integer, nullable=False),
    Column("completed", Integer, nullable=False),  # progress 100
    Column("verified", Integer, nullable=False),  # Verified program, as in the Session CSV
    Column("progress_sum", Float, nullable=False),
    Column("score_sum", Float),
    Column("scored", Integer, nullable=False),  # learners with a session score
    PrimaryKeyConstraint("group_id", "session_id"),
    Index("ix_group_sessions_session", "session_id"),
)

# Results by group of a session (metrics.md, "Program sessions"), kept at import and by the xAPI fold
# (data_access.write.derive.refresh_session_groups): one row per (session S, group G with a registered user of S
# as a direct member, any role) with the counts and sums over those users, so the session page reads its groups
# instead of joining every registered user with their memberships. What the platform owner (and an instructor of
# S, who sees every user of S) sees; other viewers' figures are counted over the users they see.
session_groups = Table(
    "session_groups", metadata,
    Column("session_id", ID, nullable=False),
    Column("group_id", ID, nullable=False),
    Column("users", Integer, nullable=False),  # registered users of S who are members of G
    Column("started", Integer, nullable=False),  # of them, those who started
    Column("progress_sum", Float, nullable=False),  # over those who started
    Column("score_sum", Float),  # over those who started and have a session score
    Column("scored", Integer, nullable=False),
    PrimaryKeyConstraint("session_id", "group_id"),
    sqlite_with_rowid=False,
)

# per group, over its subtree: current (not deleted) members of any role and learners, and G's sessions
group_counts = Table(
    "group_counts", metadata,
    Column("group_id", ID, primary_key=True),
    Column("members", Integer, nullable=False),
    Column("learners", Integer, nullable=False),
    Column("sessions", Integer, nullable=False),
)

# At risk (metrics.md, "At risk"): one row per participant (registered, not deleted) of every session, kept at
# import and by the xAPI fold (data_access.write.derive.refresh_risk_facts), so the at-risk list of every running
# session is one pass over narrow rows with no aggregation. due_flags: one character per block of the session that
# has a due date, in due order (due_at, block_id): '1' completed (Topic completed), '0' not; the topics overdue
# at `now` are the '0's among the first k characters, k = the session's blocks with due_at <= now.
at_risk_facts = Table(
    "at_risk_facts", metadata,
    Column("session_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    Column("first_name", Text, nullable=False),
    Column("last_name", Text, nullable=False),
    Column("email", Text, nullable=False),
    _ts("last_login_at"),
    Column("score_pct", Float),  # Session score
    Column("due_flags", Text, nullable=False),
    PrimaryKeyConstraint("session_id", "user_id"),
    Index("ix_at_risk_facts_user", "user_id"),
    sqlite_with_rowid=False,  # rows stored in key order: a session's participants are read in one range
)

# --- Cohort facts per kept scope key (data_access.write.derive_kpis; data_access.cohort_keys says which keys are
# kept: PLATFORM and the groups someone coaches or administers, the root's admins excepted, since they are platform
# owners), so that a cohort's Participants numbers, its session's General section and the at-risk lists of a viewer
# read their own scope's rows instead of probing the scope of every participant of a 100,000-learner cohort.
# scope_participants: the rows of at_risk_facts (participants: registered, not deleted) of the users of each kept group
# key (not PLATFORM: at_risk_facts itself is its rows), without the names.
scope_participants = Table(
    "scope_participants", metadata,
    Column("group_id", ID, nullable=False),
    Column("session_id", ID, nullable=False),
    Column("user_id", ID, nullable=False),
    _ts("last_login_at"),
    Column("score_pct", Float),
    Column("due_flags", Text, nullable=False),
    PrimaryKeyConstraint("group_id", "session_id", "user_id"),
    sqlite_with_rowid=False,  # a key's participants of one session are one range
)

# scope_session_kpis: per kept key (PLATFORM included) and session, the General section's counts over the key's users
# (any role, deleted included, as scope.visible_users_probe): enrollments registered (not unassigned), of them from the
# catalog, on the waiting list; over every enrollment (session_users): attendees (started), completed, the sum and
# count of the attendees' session scores and the attendees per 20-point level band; certificates; and, of the
# completed users' time spent, the ((n + 1) / 2)-th and (n / 2 + 1)-th smallest (n = completed: the median is the
# first when n is odd, their mean when even).
scope_session_kpis = Table(
    "scope_session_kpis", metadata,
    Column("group_id", ID, nullable=False),
    Column("session_id", ID, nullable=False),
    Column("registrations", Integer, nullable=False),
    Column("open_registrations", Integer, nullable=False),
    Column("waiting_list", Integer, nullable=False),
    Column("attendees", Integer, nullable=False),
    Column("completed", Integer, nullable=False),
    Column("score_sum", Float),
    Column("scored", Integer, nullable=False),
    *[Column(f"level{i}", Integer, nullable=False) for i in range(5)],
    Column("certificates", Integer, nullable=False),
    Column("time_lo", BigInteger),
    Column("time_hi", BigInteger),
    PrimaryKeyConstraint("group_id", "session_id"),
    sqlite_with_rowid=False,
)

# scope_session_blocks: per kept key, session and block with a block result of one of the key's users: those results
# completed by a registered user of the session, and the sum and count of the results' scores.
scope_session_blocks = Table(
    "scope_session_blocks", metadata,
    Column("group_id", ID, nullable=False),
    Column("session_id", ID, nullable=False),
    Column("block_id", ID, nullable=False),
    Column("completed", Integer, nullable=False),
    Column("score_sum", Float),
    Column("scored", Integer, nullable=False),
    PrimaryKeyConstraint("group_id", "session_id", "block_id"),
    sqlite_with_rowid=False,
)

# --- Derived facts of the Users pages (data_access.write.derive.refresh_user_facts) -----------
# the tags of what tag statistics count: question activities and assessment blocks ('|' lists split)
item_tags = Table(
    "item_tags", metadata,
    Column("kind", String(16), nullable=False),  # "activity" or "block"
    Column("item_id", ID, nullable=False),
    Column("tag", Text, nullable=False),
    PrimaryKeyConstraint("kind", "item_id", "tag"),
)

# per user and tag: their answers to questions tagged T and their assessment results on blocks tagged T
user_tags = Table(
    "user_tags", metadata,
    Column("user_id", ID, nullable=False),
    Column("tag", Text, nullable=False),
    Column("training_score", Float),  # mean answer score (NULL: no scored answer)
    Column("answers", Integer, nullable=False),
    Column("assessment_score", Float),  # mean assessment score (NULL: no scored assessment)
    Column("assessments", Integer, nullable=False),
    PrimaryKeyConstraint("user_id", "tag"),
)

# the custom profile field names of the platform (user_fields.field, distinct): the CSVs' custom-field columns
# read these few rows instead of a DISTINCT over every user's values
user_field_names = Table(
    "user_field_names", metadata,
    Column("field", Text, nullable=False),
    PrimaryKeyConstraint("field"),
    sqlite_with_rowid=False,
)

# one row per user (deleted users too): the users list reads this table alone (names copied from users, so
# its count and its pages walk one index each), and the user CSVs read their unfiltered figures here
user_stats = Table(
    "user_stats", metadata,
    Column("user_id", ID, primary_key=True),
    Column("first_name", Text, nullable=False),
    Column("last_name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("deleted", SmallInteger, nullable=False),  # 1: users.deleted_at is set
    Column("time_spent_s", BigInteger, nullable=False),  # every course attempt
    _ts("last_activity_at"),
    # last_activity_at with 0 for none: sorts "none" lowest through one index on SQLite and PostgreSQL alike
    Column("last_activity_key", BigInteger, nullable=False),
    Column("direct_reports", Integer, nullable=False),  # current users they manage directly
    Column("answers", Integer, nullable=False),
    Column("answer_score", Float),
    Column("posts", Integer, nullable=False),
    Column("total_time_s", BigInteger, nullable=False),  # the most recent attempt per (course, session)
    Column("avg_score", Float),
    Column("completed_courses", Integer, nullable=False),
    Column("attended_classrooms", Integer, nullable=False),
    Column("completed_programs", Integer, nullable=False),
    Column("assigned_programs", Integer, nullable=False),
    Column("completed_paths", Integer, nullable=False),
    Column("assigned_paths", Integer, nullable=False),
    Index("ix_user_stats_name", "deleted", "last_name", "first_name", "email", "user_id"),
    Index("ix_user_stats_email", "deleted", "email"),
    Index("ix_user_stats_time_spent", "deleted", "time_spent_s"),
    Index("ix_user_stats_last_activity", "deleted", "last_activity_key"),
    Index("ix_user_stats_direct_reports", "deleted", "direct_reports"),
)


# Collaborative activity (metrics.md), kept per user, group, course and activity so the Collaborative activity
# pages never scan millions of posts, reactions, views or downloads per request (data_access.write.derive_collab).
REACTION_COLUMNS = ("r_like", "r_learned_something", "r_outdated", "r_have_a_question", "r_useful", "r_irrelevant",
                    "r_didnt_get_it")  # r_<reaction kind>


def _counts(*names: str) -> list[Column]:
    return [Column(name, Integer, nullable=False, server_default="0") for name in names]


collab_users = Table(
    "collab_users", metadata,  # every user (deleted ones included, current = 0) with what the Users tab shows:
    # names, email and additional information copied from users, publications, comments, reactions and their sum
    Column("user_id", ID, primary_key=True),
    Column("first_name", Text, nullable=False),
    Column("last_name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("additional_info", Text),
    Column("current", SmallInteger, nullable=False),
    *_counts("publications", "comments", "reactions", "total"),
    # the Users tab pages 100 rows at a time in the order asked: the default order and each count order walk an
    # index and stop, instead of sorting every user of the platform
    Index("ix_collab_users_order", "current", "last_name", "first_name", "email", "user_id"),
    Index("ix_collab_users_publications", "current", "publications"),
    Index("ix_collab_users_comments", "current", "comments"),
    Index("ix_collab_users_reactions", "current", "reactions"),
    Index("ix_collab_users_total", "current", "total"),
)
# a group's members without reading the memberships rows (the Users tab's group picker, scope rules)
Index("ix_memberships_group_user", memberships.c.group_id, memberships.c.user_id)
# the people behind an activity's number, most recent first: walked in this order and left after 100 rows
Index("ix_activity_views_activity_started", activity_views.c.activity_id, activity_views.c.started_at)
Index("ix_reactions_activity_kind_created", reactions.c.activity_id, reactions.c.kind, reactions.c.created_at)
Index("ix_downloads_activity_at", downloads.c.activity_id, downloads.c.at)

collab_user_courses = Table(
    "collab_user_courses", metadata,  # per user and course: forum posts and reactions on its activities, so the
    # per-session numbers of an admin (only their users count) never scan raw reactions
    Column("user_id", ID, nullable=False),
    Column("course_id", ID, nullable=False),
    *_counts("comments", "reactions"),
    PrimaryKeyConstraint("user_id", "course_id"),
    # an admin's users' rows read from the index alone (half the time of the primary key and the table)
    Index("ix_collab_user_courses_cover", "user_id", "course_id", "comments", "reactions"),
)

collab_groups = Table(
    "collab_groups", metadata,  # every group: the same counts summed over the learners of its subtree, and how many
    # current users (any role) its subtree has (the Users tab's count for a group)
    Column("group_id", ID, primary_key=True),
    *_counts("publications", "comments", "reactions", "members"),
)

collab_sessions = Table(
    "collab_sessions", metadata,  # every session's numbers as the platform owner sees them (queries.collaboration
    # computes them, for other viewers live over their users only)
    Column("session_id", ID, primary_key=True),
    *_counts("publications", "comments", "reactions"),
)

scope_collab_sessions = Table(
    "scope_collab_sessions", metadata,  # per kept group key (data_access.cohort_keys) and session: the numbers as a
    # viewer of that one key sees them, by the key's users only (sessions with no count have no row; the viewer's
    # sessions are the key's group_sessions)
    Column("group_id", ID, nullable=False),
    Column("session_id", ID, nullable=False),
    *_counts("publications", "comments", "reactions"),
    PrimaryKeyConstraint("group_id", "session_id"),
    sqlite_with_rowid=False,  # a key's sessions are one range
)

collab_activities = Table(
    "collab_activities", metadata,  # every activity: views, forum comments, downloads, reactions by kind
    Column("activity_id", ID, primary_key=True),
    Column("course_id", ID, nullable=False),
    *_counts("views", "comments", "downloads", *REACTION_COLUMNS),
    Index("ix_collab_activities_course", "course_id"),
)

collab_courses = Table(
    "collab_courses", metadata,  # every course: attempts (views), forum comments, reactions, activities by type
    Column("course_id", ID, primary_key=True),
    *_counts("views", "comments", *REACTION_COLUMNS, "documents", "cheat_sheets", "questions"),
)

# --- Application state ----------------------------------------------------------------------
# Per-cohort activity colour limits (Participants page); set by users, never touched by imports.
cohort_settings = Table(
    "cohort_settings", metadata,
    Column("session_id", ID, primary_key=True),
    Column("green_limit", Integer, nullable=False),
    Column("yellow_limit", Integer, nullable=False),
    _ts("updated_at", nullable=False),
    # at-risk limits (metrics.md, "At risk"); NULL: the default (data_access.queries.at_risk)
    Column("overdue_limit", Integer),
    Column("score_limit", Integer),
)

# Contacts with learners (metrics.md, "Contacts"): recorded by people from the at-risk list; never touched by
# imports, kept when the learner is deleted (history).
contacts = Table(
    "contacts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", ID, nullable=False),  # the learner
    Column("session_id", ID, nullable=False),
    Column("recorded_by", ID, nullable=False),  # the user who recorded it
    _ts("recorded_at", nullable=False),
    Column("channel", String(16), nullable=False),  # email | message | call | meeting | other
    Column("note", Text),  # at most 500 characters
    # last contacted per (learner, session); a learner's contacts (user page)
    Index("ix_contacts_user_session", "user_id", "session_id", "recorded_at"),
    # a cohort's contacts of the last 30 days
    Index("ix_contacts_session_recorded", "session_id", "recorded_at"),
    # contacts recorded since a moment (every cohort)
    Index("ix_contacts_recorded", "recorded_at"),
)

# --- Accounts (sign-in): people are the bundle's users; never touched by imports ------------------
# A password attached to a user (argon2 hash). No row: the user signs in by single sign-on or a link.
credentials = Table(
    "credentials", metadata,
    Column("user_id", ID, primary_key=True),
    Column("password_hash", Text, nullable=False),
    _ts("updated_at", nullable=False),
)

# One-time sign-in links (an invitation to choose a password, the first-start link); only a hash is kept.
login_tokens = Table(
    "login_tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ID, nullable=False, index=True),
    Column("purpose", String(16), nullable=False),  # invite | sign-in
    _ts("created_at", nullable=False),
    _ts("expires_at", nullable=False),
    _ts("used_at"),
)

# Sign-in sessions (not program sessions): one row per signed-in browser. The session cookie carries a random id
# whose sha256 is the key, checked on every request; "keep me signed in" adds a random token kept only as its
# sha256. Signing out deletes the row; a password change, a deletion, "sign out everywhere" delete every row of
# the person. A cookie whose row is gone or expired signs nobody in.
signin_sessions = Table(
    "signin_sessions", metadata,
    Column("session_hash", String(64), primary_key=True),
    Column("user_id", ID, nullable=False, index=True),
    Column("remember_hash", String(64)),  # empty: the browser was not kept signed in
    _ts("created_at", nullable=False),
    _ts("expires_at", nullable=False),
)

# A person's own settings of the app, kept across pages, browsers and sign-ins. meeting_safe: names and e-mails
# are shown as pseudonyms (dashboard.core.pseudonyms).
user_preferences = Table(
    "user_preferences", metadata,
    Column("user_id", ID, primary_key=True),
    Column("meeting_safe", SmallInteger, nullable=False),  # 1: on, 0: off
    _ts("updated_at", nullable=False),
)

# Who signed in, failed to, signed out, viewed the app as someone else (also written to the log).
audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ts("at", nullable=False),
    Column("event", String(32), nullable=False),
    Column("user_id", ID),  # who acted (empty: unknown, e.g. a failed sign-in for an unknown email)
    Column("subject_id", ID),  # whom it concerned (view-as target, invited user)
    Column("email", Text),  # the email given, for failed sign-ins
    Column("address", String(64)),
    Column("detail", Text),
    Index("ix_audit_log_at", "at"),
)

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text),
)

# --- xAPI (data_access/xapi) ------------------------------------------------------------------
# Every statement received, as received: the source of truth the mapping is (re)applied from.
xapi_statements = Table(
    "xapi_statements", metadata,
    Column("statement_id", String(36), primary_key=True),
    Column("digest", String(64), nullable=False),  # sha256 of the content: same id + other digest = conflict
    _ts("timestamp", nullable=False),  # the statement's timestamp (its stored time when it had none)
    _ts("stored", nullable=False),
    Column("verb_id", Text, nullable=False),
    Column("user_id", ID),  # the actor's user (NULL: a Group actor)
    Column("course_id", ID),  # the course run the statement happened in, if any
    Column("session_id", ID),
    Column("voided", SmallInteger, nullable=False, server_default="0"),
    Column("voids", String(36)),  # a voiding statement: its target
    Column("body", Text, nullable=False),
    Index("ix_xapi_statements_user_time", "user_id", "timestamp"),
    # partial: only voiding statements (a full index on voids IS NULL tempts planners into scanning every row)
    Index("ix_xapi_statements_voids", "voids", sqlite_where=text("voids IS NOT NULL"),
          postgresql_where=text("voids IS NOT NULL")),
    # a course run's first and last live statement (its dates)
    Index("ix_xapi_statements_session_time", "session_id", "timestamp",
          sqlite_where=text("voided = 0 AND voids IS NULL"), postgresql_where=text("voided = 0 AND voids IS NULL")),
    # the fold's reads of a learner's live statements (their days, their spans per run) from the index alone:
    # without it the spans of a learner in a run are looked up through every statement of the run (35x slower)
    Index("ix_xapi_statements_user_live", "user_id", "timestamp", "session_id", "course_id", "statement_id", "voided",
          "voids", sqlite_where=text("voided = 0 AND voids IS NULL"),
          postgresql_where=text("voided = 0 AND voids IS NULL")),
    # reading back (GET /xapi/statements): pages of live statements in stored order, resumed after a cursor
    Index("ix_xapi_statements_stored", "stored", "statement_id", sqlite_where=text("voided = 0"),
          postgresql_where=text("voided = 0")),
)

# What each statement contributed (data_access/xapi/mapping.py): folded into the bundle tables, removed with
# its statement when that is voided, rebuilt by `learnpulse xapi replay`.
xapi_facts = Table(
    "xapi_facts", metadata,
    Column("statement_id", String(36), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("user_id", ID, nullable=False),
    Column("key1", ID),
    Column("key2", String(70)),  # a reaction's target: "a:" or "p:" and an id
    _ts("at", nullable=False),
    Column("num1", Float),
    Column("num2", Float),
    Column("num3", Float),
    Column("num4", Float),
    Column("flag", SmallInteger),
    Index("ix_xapi_facts_statement", "statement_id", "kind"),
    Index("ix_xapi_facts_kind_user", "kind", "user_id", "key2"),
)

# HTTP Basic credentials of POST /xapi/statements; the secret is kept only as an Argon2 hash.
xapi_credentials = Table(
    "xapi_credentials", metadata,
    Column("key", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("secret_hash", Text, nullable=False),
    _ts("created_at", nullable=False),
)

# the keys whose rows built from many statements (attempts, enrollments, logins, results, session dates) still
# have to be recomputed: POST /xapi/statements notes them here in the request's transaction and a background
# fold works them off (data_access/xapi/ingest.fold_pending), so a burst of small batches is folded together.
# No unique key on purpose: a request's plain INSERT never waits for a fold that is deleting the same key
# (repeats are merged when the fold claims them).
xapi_pending = Table(
    "xapi_pending", metadata,
    Column("kind", String(8), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("key", String(64), nullable=False),
)

# --- Weekly digest (dashboard/digest_run.py): set by people, never touched by imports ------------------
# Who receives the weekly digest, and when: a day of the week (0 = Monday) and an hour in the configured time zone.
digest_subscriptions = Table(
    "digest_subscriptions", metadata,
    Column("user_id", ID, primary_key=True),
    Column("weekday", SmallInteger, nullable=False),
    Column("hour", SmallInteger, nullable=False),
    _ts("subscribed_at", nullable=False),  # when this schedule was chosen: the first period starts after it
)

# One row per recipient and period (the scheduled moment, epoch seconds): claimed by one process, then sent,
# found empty (nothing changed: no e-mail) or failed (tried again at the next run).
digest_sends = Table(
    "digest_sends", metadata,
    Column("user_id", ID, nullable=False),
    _ts("period_at", nullable=False),
    Column("status", String(8), nullable=False),  # claimed | sent | empty | failed
    _ts("claimed_until"),  # a claimed row belongs to its process until then (a process that died is retried after)
    Column("attempts", SmallInteger, nullable=False, server_default="0"),
    _ts("computed_at"),  # the 'now' the digest was computed at (sent or empty): the next digest starts there
    _ts("sent_at"),
    Column("at_risk", Integer),
    Column("newly", Integer),
    Column("recovered", Integer),
    Column("contacts", Integer),
    Column("error", Text),
    PrimaryKeyConstraint("user_id", "period_at"),
)

# What each recipient's latest digest (sent or empty) counted at risk, with the reasons then (joined with |):
# the next digest's "newly at risk" and "no longer at risk" are the differences from it.
digest_at_risk = Table(
    "digest_at_risk", metadata,
    Column("user_id", ID, nullable=False),
    Column("learner_id", ID, nullable=False),
    Column("session_id", ID, nullable=False),
    Column("reasons", String(32), nullable=False),
    PrimaryKeyConstraint("user_id", "learner_id", "session_id"),
)

BUNDLE_TABLES = [
    groups, users, user_fields, memberships, managers, logins, courses, activities, programs,
    sessions, session_instructors, blocks, classroom_slots, slot_attendance, enrollments,
    course_attempts, assessment_results, answers, certificates, posts, reactions, activity_views,
    downloads,
]
DERIVED_TABLES = [group_closure, block_results, session_users]
ACCOUNT_TABLES = [credentials, login_tokens, signin_sessions, user_preferences, audit_log]
# derived too, added by migration 0003_groups (so not in the baseline's stored_counts)
GROUP_FACT_TABLES = [group_sessions, group_counts]


def drop_schema(engine) -> None:
    """Every table, the migrations' version table included (tests start from nothing)."""
    from sqlalchemy import text

    metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
