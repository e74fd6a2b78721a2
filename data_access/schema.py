"""The database schema: SQLAlchemy Core tables.

Conventions
- Ids are the source platform's opaque strings (<= 64 chars), used as keys as they are, so a delta
  bundle resolves references against stored rows without a mapping table.
- Timestamps are stored as integer epoch seconds (UTC): portable arithmetic ("days since") on
  SQLite and PostgreSQL alike, compact, and index-friendly.
- Tables under "Derived facts" are maintained by the importer (data_access.derive), never written
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

# --- Derived facts (maintained by data_access.derive at import) -------------------------------
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
    PrimaryKeyConstraint("session_id", "user_id"),
    Index("ix_session_users_user", "user_id"),
)

# --- Application state ----------------------------------------------------------------------
# Per-cohort activity colour limits (Participants page); set by users, never touched by imports.
cohort_settings = Table(
    "cohort_settings", metadata,
    Column("session_id", ID, primary_key=True),
    Column("green_limit", Integer, nullable=False),
    Column("yellow_limit", Integer, nullable=False),
    _ts("updated_at", nullable=False),
)

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text),
)

BUNDLE_TABLES = [
    groups, users, user_fields, memberships, managers, logins, courses, activities, programs,
    sessions, session_instructors, blocks, classroom_slots, slot_attendance, enrollments,
    course_attempts, assessment_results, answers, certificates, posts, reactions, activity_views,
    downloads,
]
DERIVED_TABLES = [group_closure, block_results, session_users]


def create_schema(engine) -> None:
    metadata.create_all(engine)


def drop_schema(engine) -> None:
    metadata.drop_all(engine)
