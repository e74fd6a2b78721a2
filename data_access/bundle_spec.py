"""The bundle format of docs/bundle-format.md as data: files, columns, types, keys.

One source of truth for the importer (validation, conversion, upsert keys) and the demo writer
(column order).
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("learner", "coach", "admin", "author", "instructor")
REACTION_KINDS = ("like", "learned_something", "outdated", "have_a_question", "useful", "irrelevant",
                  "didnt_get_it")
POSITIVE_REACTIONS = ("like", "learned_something", "useful")
SPACES = ("group", "session", "profile", "course", "learning_need", "project")


@dataclass(frozen=True)
class Col:
    name: str
    kind: str  # id | ref | text | ts | int | num | pct | bool | enum | list | reflist
    required: bool = False  # never empty
    ref: str | None = None  # referenced file (without .csv) for ref / reflist
    values: tuple[str, ...] = ()  # for enum


@dataclass(frozen=True)
class FileSpec:
    name: str  # file stem, also the table name
    cols: tuple[Col, ...]
    key: tuple[str, ...]
    optional: bool = False
    id_col: str | None = None  # the file's own id column, if any

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def col_names(self) -> list[str]:
        return [c.name for c in self.cols]

    def col(self, name: str) -> Col:
        return next(c for c in self.cols if c.name == name)


def _id(name: str) -> Col:
    return Col(name, "id", required=True)


def _ref(name: str, ref: str, required: bool = True) -> Col:
    return Col(name, "ref", required=required, ref=ref)


def _f(name, cols, key=None, optional=False, id_col=None) -> FileSpec:
    return FileSpec(name, tuple(cols), tuple(key or (id_col,)), optional, id_col)


FILES: list[FileSpec] = [
    _f("groups", [_id("group_id"), Col("name", "text", True), _ref("parent_id", "groups", False)],
       id_col="group_id"),
    _f("users", [
        _id("user_id"), Col("first_name", "text", True), Col("last_name", "text", True),
        Col("email", "text", True), Col("title", "text"), Col("additional_info", "text"),
        Col("registered_at", "ts"), _ref("invited_by", "users", False), Col("deleted_at", "ts"),
        Col("auto_deletion_at", "ts"),
    ], id_col="user_id"),
    _f("user_fields", [_ref("user_id", "users"), Col("field", "text", True), Col("value", "text")],
       key=("user_id", "field"), optional=True),
    _f("memberships", [_ref("user_id", "users"), _ref("group_id", "groups"),
                       Col("role", "enum", True, values=ROLES)], key=("user_id", "group_id", "role")),
    _f("managers", [_ref("user_id", "users"), _ref("manager_id", "users")],
       key=("user_id", "manager_id"), optional=True),
    _f("logins", [_ref("user_id", "users"), Col("at", "ts", True)], key=("user_id", "at")),
    _f("courses", [
        _id("course_id"), Col("name", "text", True), _ref("author_id", "users"),
        Col("coauthor_ids", "reflist", ref="users"),
        Col("status", "enum", True, values=("active", "archived", "deleted")),
        Col("created_at", "ts"), Col("updated_at", "ts"), Col("source_language", "text"),
        Col("available_languages", "list"), Col("unavailable_languages", "list"), Col("tags", "list"),
    ], id_col="course_id"),
    _f("activities", [
        _id("activity_id"), _ref("course_id", "courses"), Col("position", "int"),
        Col("title", "text", True), Col("type", "enum", True, values=("document", "cheat_sheet", "question")),
        Col("tags", "list"),
    ], id_col="activity_id"),
    _f("programs", [_id("program_id"), Col("name", "text", True),
                    Col("kind", "enum", True, values=("program", "path")), Col("description", "text")],
       id_col="program_id"),
    _f("sessions", [
        _id("session_id"), _ref("program_id", "programs"), Col("name", "text", True),
        Col("start_at", "ts"), Col("end_at", "ts"), _ref("author_id", "users"), _ref("group_id", "groups"),
        Col("expected_duration_min", "int"), Col("tags", "list"), Col("description", "text"),
    ], id_col="session_id"),
    _f("session_instructors", [_ref("session_id", "sessions"), _ref("user_id", "users")],
       key=("session_id", "user_id"), optional=True),
    _f("blocks", [
        _id("block_id"), _ref("session_id", "sessions"), Col("position", "int", True),
        Col("kind", "enum", True, values=("course", "assessment", "classroom")), Col("title", "text", True),
        _ref("course_id", "courses", False), Col("due_at", "ts"), Col("tags", "list"),
        Col("passing_score_pct", "pct"),
    ], id_col="block_id"),
    _f("classroom_slots", [
        _id("slot_id"), _ref("block_id", "blocks"), Col("title", "text"), Col("start_at", "ts"),
        Col("end_at", "ts"), Col("duration_hours", "num"),
    ], optional=True, id_col="slot_id"),
    _f("slot_attendance", [_ref("slot_id", "classroom_slots"), _ref("user_id", "users"),
                           Col("attendance_pct", "pct")], key=("slot_id", "user_id"), optional=True),
    _f("enrollments", [
        _ref("session_id", "sessions"), _ref("user_id", "users"),
        Col("status", "enum", True, values=("registered", "waiting_list")),
        Col("source", "enum", True, values=("assigned", "group", "catalog")),
        _ref("group_id", "groups", False), Col("assigned_at", "ts"), Col("unassigned_at", "ts"),
    ], key=("session_id", "user_id")),
    _f("course_attempts", [
        _id("attempt_id"), _ref("user_id", "users"), _ref("course_id", "courses"),
        _ref("session_id", "sessions", False), Col("attempt_no", "int"), Col("started_at", "ts", True),
        Col("last_activity_at", "ts"), Col("completed_at", "ts"), Col("progress_pct", "pct"),
        Col("score_pct", "pct"), Col("time_spent_s", "int"), Col("language", "text"),
    ], id_col="attempt_id"),
    _f("assessment_results", [
        _ref("user_id", "users"), _ref("block_id", "blocks"), Col("score_pct", "pct"), Col("passed", "bool"),
        Col("submitted_at", "ts", True),
    ], key=("user_id", "block_id"), optional=True),
    _f("answers", [
        _ref("user_id", "users"), _ref("activity_id", "activities"), _ref("session_id", "sessions", False),
        Col("score_pct", "pct"), Col("answered_at", "ts", True),
    ], key=("user_id", "activity_id", "answered_at"), optional=True),
    _f("certificates", [
        _id("certificate_id"), _ref("user_id", "users"), Col("name", "text", True),
        _ref("session_id", "sessions", False), _ref("program_id", "programs", False),
        Col("delivered_at", "ts"), Col("expires_at", "ts"),
    ], optional=True, id_col="certificate_id"),
    _f("posts", [
        _id("post_id"), _ref("user_id", "users"), Col("created_at", "ts", True),
        Col("space", "enum", True, values=SPACES), Col("context_id", "text", True),
        _ref("parent_id", "posts", False), _ref("activity_id", "activities", False), Col("archived", "bool"),
    ], optional=True, id_col="post_id"),
    _f("reactions", [
        _ref("user_id", "users"), Col("created_at", "ts", True), Col("kind", "enum", True, values=REACTION_KINDS),
        _ref("activity_id", "activities", False), _ref("post_id", "posts", False),
    ], key=("user_id", "created_at", "kind", "activity_id", "post_id"), optional=True),
    _f("activity_views", [_ref("user_id", "users"), _ref("activity_id", "activities"),
                          Col("started_at", "ts", True)], key=("user_id", "activity_id", "started_at"),
       optional=True),
    _f("downloads", [_ref("user_id", "users"), _ref("activity_id", "activities"), Col("at", "ts", True)],
       key=("user_id", "activity_id", "at"), optional=True),
]

BY_NAME: dict[str, FileSpec] = {f.name: f for f in FILES}
