"""Component ids, defined once. Pages use cid(page, name); repeated components use dict ids.

A "program session" is a run of a learning program (a cohort); sign-in sessions have no component. The id strings
stay as the browser tests and assets know them ("sessions-…", "session-…")."""

from __future__ import annotations


def cid(page: str, name: str) -> str:
    return f"{page}-{name}"


class Shell:
    URL = "url"
    RELOAD = "shell-reload"  # store: a path to load afresh (after view-as starts or stops: a new viewer)
    RELOADED = "shell-reloaded"
    NAV = "nav"
    TOGGLER = "shell-nav-toggler"
    COLLAPSE = "shell-nav-collapse"
    STOP_VIEW_AS = "shell-stop-view-as"
    MEETING_SAFE = "shell-meeting-safe"  # switch: names shown as pseudonyms
    MEETING_SAVED = "shell-meeting-saved"  # store: the switch was saved, load the page afresh
    MEETING_BANNER = "shell-meeting-banner"
    DATA_NOTE = "shell-data-note"


class ViewAs:
    PAGE = "view-as"
    PICK = cid(PAGE, "pick")
    GO = cid(PAGE, "go")
    STATUS = cid(PAGE, "status")
    AUDIT = cid(PAGE, "audit")


class Digest:
    PAGE = "digest"
    ON = cid(PAGE, "on")
    DAY = cid(PAGE, "day")
    HOUR = cid(PAGE, "hour")
    STATUS = cid(PAGE, "status")
    HISTORY = cid(PAGE, "history")
    PREVIEW_BUTTON = cid(PAGE, "preview-button")
    PREVIEW = cid(PAGE, "preview")


class Overview:
    PAGE = "overview"
    AT_RISK = cid(PAGE, "at-risk")
    KPIS = cid(PAGE, "kpis")
    ACTIVE_CHART = cid(PAGE, "active-chart")  # weekly active learners
    RECENCY_CHART = cid(PAGE, "recency-chart")
    SESSIONS = cid(PAGE, "sessions")
    LOAD = cid(PAGE, "load")


class Participants:
    PAGE = "participants"
    COHORT = cid(PAGE, "cohort")
    EXPORT = cid(PAGE, "export")
    MESSAGE = cid(PAGE, "message")
    SUMMARY = cid(PAGE, "summary")
    GREEN = cid(PAGE, "green-limit")
    YELLOW = cid(PAGE, "yellow-limit")
    LIMITS_STATUS = cid(PAGE, "limits-status")
    LIMITS = cid(PAGE, "limits")  # store: the limits in force
    LEGEND = cid(PAGE, "legend")
    CHART = cid(PAGE, "chart")
    ACTIVITY = cid(PAGE, "activity")  # store: bucket counts of the cohort
    SELECTED = cid(PAGE, "selected")  # store: the selected buckets
    URL_SYNC = cid(PAGE, "url-sync")
    LIST_CARD = cid(PAGE, "list-card")
    LIST_TITLE = cid(PAGE, "list-title")
    LIST_HINT = cid(PAGE, "list-hint")
    GRID = cid(PAGE, "grid")
    GRID_REFRESH = cid(PAGE, "grid-refresh")  # store: written when the grid must reload its rows
    EMAILS = cid(PAGE, "emails")  # store: the emails to copy
    DOWNLOAD = cid(PAGE, "download")
    COPY = cid(PAGE, "copy")
    COPY_STATUS = cid(PAGE, "copy-status")
    CLEAR = cid(PAGE, "clear")
    OVERDUE = cid(PAGE, "overdue-limit")
    SCORE = cid(PAGE, "score-limit")
    RISK_LIMITS = cid(PAGE, "risk-limits")  # store: the at-risk limits in force
    RISK_STATUS = cid(PAGE, "risk-status")
    CONTACTS = cid(PAGE, "contacts")  # contacts in the last 30 days, followed by activity


class AtRisk:
    PAGE = "at-risk"
    COHORT = cid(PAGE, "cohort")
    MESSAGE = cid(PAGE, "message")
    SUMMARY = cid(PAGE, "summary")  # store: the counts (candidates, at risk, per reason)
    COUNT = cid(PAGE, "count")
    CHART = cid(PAGE, "chart")
    SELECTED = cid(PAGE, "selected")  # store: the selected reasons
    CLEAR = cid(PAGE, "clear")
    URL_SYNC = cid(PAGE, "url-sync")
    LIST_TITLE = cid(PAGE, "list-title")
    GRID = cid(PAGE, "grid")
    GRID_REFRESH = cid(PAGE, "grid-refresh")
    DOWNLOAD = cid(PAGE, "download")
    SELECTION_INFO = cid(PAGE, "selection-info")
    COPY = cid(PAGE, "copy")
    COPY_STATUS = cid(PAGE, "copy-status")
    EMAILS = cid(PAGE, "emails")  # store: the selection's emails to copy
    SUBJECT = cid(PAGE, "subject")
    BODY = cid(PAGE, "body")
    MAILTO = cid(PAGE, "mailto")
    SELECTION_CSV = cid(PAGE, "selection-csv")
    SELECTION_FILE = cid(PAGE, "selection-file")
    CHANNEL = cid(PAGE, "channel")
    NOTE = cid(PAGE, "note")
    RECORD = cid(PAGE, "record")
    RECORD_STATUS = cid(PAGE, "record-status")
    RECORDED = cid(PAGE, "recorded")  # store: written after contacts were recorded (the grid reloads)


class Trend:  # the weekly trend and the pace of a cohort, a section of the Participants page
    PAGE = "trend"
    CARD = cid(PAGE, "card")
    CHART = cid(PAGE, "chart")
    AS_TABLE = cid(PAGE, "as-table")
    TABLE = cid(PAGE, "table")
    TABLE_WRAP = cid(PAGE, "table-wrap")
    DOWNLOAD = cid(PAGE, "download")
    COMPARE = cid(PAGE, "compare")
    MESSAGE = cid(PAGE, "message")
    PACE = cid(PAGE, "pace")
    PACE_SHOW = cid(PAGE, "pace-show")
    PACE_LIST = cid(PAGE, "pace-list")
    PACE_GRID = cid(PAGE, "pace-grid")
    PACE_NOTE = cid(PAGE, "pace-note")
    PACE_DOWNLOAD = cid(PAGE, "pace-download")


class Compare:
    PAGE = "compare"
    PICK = cid(PAGE, "pick")
    MESSAGE = cid(PAGE, "message")
    CHART = cid(PAGE, "chart")
    GRID = cid(PAGE, "grid")
    DOWNLOAD = cid(PAGE, "download")
    URL_SYNC = cid(PAGE, "url-sync")


class ProgramSessions:  # /sessions: the list of program sessions
    PAGE = "sessions"
    STATUS = cid(PAGE, "status")
    SEARCH = cid(PAGE, "search")
    GRID = cid(PAGE, "grid")
    DOWNLOAD = cid(PAGE, "download")
    COUNT = cid(PAGE, "count")
    MESSAGE = cid(PAGE, "message")
    GRID_REFRESH = cid(PAGE, "grid-refresh")  # store: written when the grid must reload its rows


class CollaborationSessions:  # the collaborative activity per program session: the Sessions tab of /collaboration
    PAGE = "sessions-collab"
    GRID = cid(PAGE, "grid")
    DOWNLOAD = cid(PAGE, "download")


class Program:
    PAGE = "program"
    ID = cid(PAGE, "id")
    KPIS = cid(PAGE, "kpis")
    GRID = cid(PAGE, "grid")


class ProgramSession:  # /sessions/<session_id>: one program session
    PAGE = "session"
    ID = cid(PAGE, "id")  # store: the program session id of the page
    KPIS = cid(PAGE, "kpis")
    PROGRESS_CHART = cid(PAGE, "progress-chart")
    SCORE_CHART = cid(PAGE, "score-chart")
    LEVELS_CHART = cid(PAGE, "levels-chart")
    GROUPS_CARD = cid(PAGE, "groups-card")
    PEOPLE_CARD = cid(PAGE, "people-card")
    BLOCK_CARD = cid(PAGE, "block-card")
    NOT_STARTED = cid(PAGE, "not-started")
    GROUPS_GRID = cid(PAGE, "groups-grid")
    PEOPLE_GRID = cid(PAGE, "people-grid")
    PEOPLE_FILTER = cid(PAGE, "people-filter")  # store: {"group": id, "band": n} narrowing Individual results
    PEOPLE_TITLE = cid(PAGE, "people-title")
    PEOPLE_CLEAR = cid(PAGE, "people-clear")
    PEOPLE_REFRESH = cid(PAGE, "people-refresh")
    LEARNER_MODAL = cid(PAGE, "learner-modal")
    LEARNER_TITLE = cid(PAGE, "learner-title")
    LEARNER_BODY = cid(PAGE, "learner-body")
    BLOCK = cid(PAGE, "block")
    BLOCK_GRID = cid(PAGE, "block-grid")
    BLOCK_REFRESH = cid(PAGE, "block-refresh")
    DOWNLOAD = cid(PAGE, "download")
    MESSAGE = cid(PAGE, "message")


class Groups:
    PAGE = "groups"
    DATA = cid(PAGE, "data")  # store: the groups the viewer may open (the tree is drawn from it in the browser)
    HREF = cid(PAGE, "href")  # store: where a group's page is, /groups/ + its id
    SEARCH = cid(PAGE, "search")
    EXPAND = cid(PAGE, "expand")
    COLLAPSE = cid(PAGE, "collapse")
    COUNT = cid(PAGE, "count")
    TREE = cid(PAGE, "tree")


class Group:
    PAGE = "group"
    ID = cid(PAGE, "id")  # store: the group id of the page
    DOWNLOAD = cid(PAGE, "download")
    KPIS = cid(PAGE, "kpis")
    MESSAGE = cid(PAGE, "message")
    CHARTS = cid(PAGE, "charts")
    ONGOING_CHART = cid(PAGE, "ongoing-chart")
    BLENDED_CHART = cid(PAGE, "blended-chart")
    SESSIONS_GRID = cid(PAGE, "sessions-grid")
    SESSION = cid(PAGE, "session")  # store: the session whose learners are listed
    PEOPLE_CARD = cid(PAGE, "people-card")
    PEOPLE_TITLE = cid(PAGE, "people-title")
    PEOPLE_DOWNLOAD = cid(PAGE, "people-download")
    PEOPLE_GRID = cid(PAGE, "people-grid")
    PEOPLE_REFRESH = cid(PAGE, "people-refresh")
    PEOPLE_REVEAL = cid(PAGE, "people-reveal")  # store: output of the clientside scroll to the learners card
    LEARNER_MODAL = cid(PAGE, "learner-modal")
    LEARNER_TITLE = cid(PAGE, "learner-title")
    LEARNER_BODY = cid(PAGE, "learner-body")


class Collaboration:
    """/collaboration/<tab>: Users, Groups, Courses and Sessions (the Sessions tab's ids are CollaborationSessions)."""
    PAGE = "collab"
    TABS = cid(PAGE, "tabs")
    NAVIGATE = cid(PAGE, "navigate")  # a location a tab click writes (client-side navigation to the tab's address)
    GROUP = cid(PAGE, "group")
    USERS_COUNT = cid(PAGE, "users-count")
    USERS_DOWNLOAD = cid(PAGE, "users-download")
    USERS_CHART = cid(PAGE, "users-chart")
    USERS_GRID = cid(PAGE, "users-grid")
    USERS_REFRESH = cid(PAGE, "users-refresh")  # store: written when the users grid must reload its rows
    USERS_MESSAGE = cid(PAGE, "users-message")
    URL_SYNC = cid(PAGE, "url-sync")
    GROUPS_GRID = cid(PAGE, "groups-grid")
    GROUPS_CHART = cid(PAGE, "groups-chart")
    GROUPS_DOWNLOAD = cid(PAGE, "groups-download")
    GROUPS_MESSAGE = cid(PAGE, "groups-message")
    COURSES_GRID = cid(PAGE, "courses-grid")
    COURSES_CHART = cid(PAGE, "courses-chart")
    COURSES_DOWNLOAD = cid(PAGE, "courses-download")
    COURSES_MESSAGE = cid(PAGE, "courses-message")
    SESSIONS_CHART = cid(PAGE, "sessions-chart")
    SESSIONS_MESSAGE = cid(PAGE, "sessions-message")


class CollaborationCourse:
    """/collaboration/courses/<id>: one course's engagement by activity and the people behind each number."""
    PAGE = "collab-course"
    ID = cid(PAGE, "id")  # store: the course id of the page
    KPIS = cid(PAGE, "kpis")
    REACTIONS_CHART = cid(PAGE, "reactions-chart")
    GRID = cid(PAGE, "grid")
    DOWNLOAD = cid(PAGE, "download")
    MESSAGE = cid(PAGE, "message")
    SELECTED = cid(PAGE, "selected")  # store: {"activity": id, "action": views|<reaction kind>|comments|downloads}
    URL_SYNC = cid(PAGE, "url-sync")
    PEOPLE_CARD = cid(PAGE, "people-card")
    PEOPLE_TITLE = cid(PAGE, "people-title")
    PEOPLE_DOWNLOAD = cid(PAGE, "people-download")
    PEOPLE_CLOSE = cid(PAGE, "people-close")
    PEOPLE_GRID = cid(PAGE, "people-grid")
    PEOPLE_REFRESH = cid(PAGE, "people-refresh")


class Users:
    PAGE = "users"
    TABS = cid(PAGE, "tabs")
    MANAGER = cid(PAGE, "manager")  # store: whose team the list shows (None: every user)
    URL_SYNC = cid(PAGE, "url-sync")
    LIST_PANEL = cid(PAGE, "list-panel")
    GENERAL_PANEL = cid(PAGE, "general-panel")
    GRID = cid(PAGE, "grid")
    GRID_REFRESH = cid(PAGE, "grid-refresh")
    COUNT = cid(PAGE, "count")
    DOWNLOAD = cid(PAGE, "download")
    MESSAGE = cid(PAGE, "message")


class GeneralStats:
    PAGE = "general-stats"
    GROUPS = cid(PAGE, "groups")
    USERS = cid(PAGE, "users")
    SESSIONS = cid(PAGE, "sessions")
    DATES = cid(PAGE, "dates")
    SUMMARY = cid(PAGE, "summary")
    DOWNLOAD = cid(PAGE, "download")
    PREVIEW = cid(PAGE, "preview")
    MESSAGE = cid(PAGE, "message")


class UserPage:
    PAGE = "user"
    ID = cid(PAGE, "id")  # store: the user id of the page
    MESSAGE = cid(PAGE, "message")
    PUBLIC = cid(PAGE, "public")
    GENERAL = cid(PAGE, "general")
    CERTIFICATES = cid(PAGE, "certificates")
    SESSIONS = cid(PAGE, "sessions")
    COURSES = cid(PAGE, "courses")
    QUESTIONS = cid(PAGE, "questions")
    TAGS = cid(PAGE, "tags")
    RADAR = cid(PAGE, "radar")
    WORK = cid(PAGE, "work")
    MODAL = cid(PAGE, "modal")
    MODAL_TITLE = cid(PAGE, "modal-title")
    MODAL_BODY = cid(PAGE, "modal-body")
    BLOCKS = cid(PAGE, "blocks")  # the blocks of a session, inside the modal
    BLOCK_ATTEMPTS = cid(PAGE, "block-attempts")  # a block's attempts, under them
    OPEN_SESSION = cid(PAGE, "open-session")  # store: the session whose blocks the modal shows
    BLOCK_ATTEMPTS_GRID = cid(PAGE, "block-attempts-grid")
    COURSE_ATTEMPTS = cid(PAGE, "course-attempts")
    ANSWERS = cid(PAGE, "answers")
    DOWNLOAD = cid(PAGE, "download")
    VIEW_AS = cid(PAGE, "view-as")
    CONTACTS = cid(PAGE, "contacts")
