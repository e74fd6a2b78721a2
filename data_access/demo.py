"""Demo data: a realistic bundle, generated vectorised with numpy and written with pandas.

Realistic means: a group tree 3 levels deep; login recency that is mostly recent with a
long inactive tail and some learners who never logged in; scores skewed high with a spread;
drop-off along each session's timeline; past, running and future sessions with course,
assessment and classroom blocks and due dates; repeated attempts; deleted users; waiting lists;
catalog registrations; valid, expiring and expired certificates; posts, replies, reactions,
views and downloads. The same seed and "now" give byte-identical files.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from data_access.bundle_spec import BY_NAME, REACTION_KINDS

DAY = 86_400

FIRST = np.array("""Ada Alan Alice Amir Ana Anna Ben Bianca Carla Chen Chloe Daniel David Diego Elena Emma Eva
Fatima Felix Grace Hana Hugo Ines Isaac Ivan Jade Jamal Jana Jonas Julia Kai Karim Lea Leo Lina Lucas Luis Maya
Mei Mia Mohamed Nadia Nina Noah Olga Omar Paul Priya Rafael Rosa Sam Sara Sofia Tariq Theo Tom Uma Victor Yara
Yuki Zoe""".split())
LAST = np.array("""Abbott Adams Ahmed Alvarez Bauer Becker Bianchi Brown Chen Costa Das Dubois Evans Fischer
Garcia Gomez Green Haddad Hansen Ito Jansen Johnson Kaur Khan Kim Kowalski Larsen Laurent Lee Lopez Martin Meyer
Moreau Muller Nakamura Nguyen Novak Okafor Olsen Patel Perez Petrov Rossi Santos Schmidt Silva Singh Smith
Tanaka Taylor Torres Wagner Walker Wang Weber Wilson Yilmaz Young Zhang""".split())
DIVISIONS = ["Sales", "Operations", "Engineering", "Customer Success", "Finance & HR"]
REGIONS = ["North", "South", "East", "West"]
TOPICS = ["Onboarding", "Leadership", "Negotiation", "Data Literacy", "Cyber Security", "Compliance",
          "Product Fundamentals", "Customer Empathy", "Project Management", "Coaching Skills",
          "Safety First", "Agile Practices", "Presentation Skills", "Financial Acumen", "Inclusive Hiring",
          "Time Management", "Conflict Resolution", "Writing for Work", "Cloud Basics", "Sales Discovery"]
TAGS = ["communication", "leadership", "security", "compliance", "product", "data", "sales", "safety",
        "management", "finance"]
PROGRAMS = ["New Manager Journey", "Sales Academy", "Security Champions", "Customer Excellence",
            "Operational Safety", "Data Driven Teams", "Leadership Academy", "Graduate Program",
            "Compliance Essentials", "Agile Transformation", "Finance for Non-Finance", "Coaching Circle"]
PATHS = ["Certified Team Lead", "Security Foundations", "Customer Success Path"]
LANGS = np.array(["en", "en", "en", "fr", "de", "es"])


def _ts(seconds) -> np.ndarray:
    """Epoch seconds (float, NaN = empty) to ISO 8601 strings with Z; '' where empty."""
    arr = np.asarray(seconds, dtype="float64")
    out = np.full(arr.shape, "", dtype=object)
    ok = ~np.isnan(arr)
    if ok.any():
        out[ok] = np.datetime_as_string(arr[ok].astype("int64").astype("datetime64[s]"), unit="s",
                                        timezone="UTC")
    return out


def _ids(prefix: str, n: int, start: int = 1) -> np.ndarray:
    width = max(5, len(str(n + start)))
    return np.char.add(prefix, np.char.zfill(np.arange(start, start + n).astype(str), width)).astype(object)


def _num(values, decimals=1) -> np.ndarray:
    arr = np.round(np.asarray(values, dtype="float64"), decimals)
    out = np.full(arr.shape, "", dtype=object)
    ok = ~np.isnan(arr)
    if decimals == 0:
        out[ok] = arr[ok].astype("int64").astype(str)
    else:
        out[ok] = np.char.mod("%g", arr[ok])
    return out


class DemoGenerator:
    def __init__(self, learners: int, seed: int, now: datetime):
        self.n = max(20, int(learners))
        self.rng = np.random.default_rng(seed)
        # the collaboration extras draw from their own stream, so the main stream's tables stay as they were
        self.extra_rng = np.random.default_rng([seed, 3])
        self.seed = seed
        self.now = int(now.astimezone(UTC).timestamp())
        self.frames: dict[str, pd.DataFrame] = {}

    # --- organisation -------------------------------------------------------------------
    def build(self) -> dict[str, pd.DataFrame]:
        self._groups()
        self._users()
        self._logins()
        self._content()
        self._sessions()
        self._enrollments()
        self._activity()
        self._collaboration()
        self._authors_in_divisions()
        self._collaboration_rules()
        self._team_leads()
        return self.frames

    def _groups(self):
        rows = [("g0", "Acme Learning", "")]
        self.division_ids, self.region_ids, self.team_ids, self.team_region = [], [], [], []
        n_teams = max(len(DIVISIONS) * len(REGIONS), self.n // 250)
        teams_per_region = int(np.ceil(n_teams / (len(DIVISIONS) * len(REGIONS))))
        for d, dname in enumerate(DIVISIONS):
            did = f"g{d + 1}"
            rows.append((did, dname, "g0"))
            self.division_ids.append(did)
            for r, rname in enumerate(REGIONS):
                rid = f"g{d + 1}{r + 1}"
                rows.append((rid, f"{dname} {rname}", did))
                self.region_ids.append(rid)
                for t in range(teams_per_region):
                    tid = f"{rid}t{t + 1}"
                    rows.append((tid, f"{dname} {rname} Team {t + 1}", rid))
                    self.team_ids.append(tid)
                    self.team_region.append(len(self.region_ids) - 1)
        self.frames["groups"] = pd.DataFrame(rows, columns=["group_id", "name", "parent_id"])
        self.team_ids = np.array(self.team_ids, dtype=object)
        self.team_region = np.array(self.team_region)

    def _users(self):
        rng, n, now = self.rng, self.n, self.now
        n_admin, n_coach = len(DIVISIONS) + 1, len(self.region_ids)
        n_author, n_instr = 8, max(6, n // 2000)
        n_staff = n_admin + n_coach + n_author + n_instr
        total = n + n_staff
        ids = _ids("u", total)
        first = FIRST[rng.integers(0, len(FIRST), total)]
        last = LAST[rng.integers(0, len(LAST), total)]
        email = np.char.add(np.char.add(np.char.add(np.char.lower(first.astype(str)), "."),
                                        np.char.lower(last.astype(str))),
                            np.char.add(np.char.add(".", np.arange(1, total + 1).astype(str)),
                                        "@acme.example"))
        registered = now - rng.uniform(20, 900, total) * DAY
        staff = np.arange(total) >= n
        registered[staff] = now - rng.uniform(700, 1000, staff.sum()) * DAY
        self.learner_idx = np.arange(n)
        self.admin_ids = ids[n:n + n_admin]
        self.coach_ids = ids[n + n_admin:n + n_admin + n_coach]
        self.author_ids = ids[n + n_admin + n_coach:n + n_admin + n_coach + n_author]
        self.instructor_ids = ids[n + n_admin + n_coach + n_author:]
        self.user_ids = ids
        self.learner_ids = ids[:n]
        invited = np.where(rng.random(total) < 0.7, self.admin_ids[rng.integers(0, n_admin, total)], "")
        invited[n:] = np.where(np.arange(n_staff) == 0, "", self.admin_ids[0])
        deleted = np.where((rng.random(total) < 0.03) & ~staff, now - rng.uniform(1, 200, total) * DAY, np.nan)
        deleted = np.maximum(deleted, registered + DAY)
        auto_del = np.where(np.isnan(deleted) & (rng.random(total) < 0.02) & ~staff,
                            now + rng.uniform(5, 120, total) * DAY, np.nan)
        titles = np.array(["Associate", "Specialist", "Analyst", "Engineer", "Consultant", "Team Lead",
                           "Manager", "Coordinator", ""], dtype=object)
        title = titles[rng.integers(0, len(titles), total)]
        title[n:n + n_admin] = "Learning Admin"
        title[n + n_admin:n + n_admin + n_coach] = "Coach"
        title[n + n_admin + n_coach:n + n_admin + n_coach + n_author] = "Instructional Designer"
        title[n + n_admin + n_coach + n_author:] = "Trainer"
        info = np.where(rng.random(total) < 0.15, "Part-time", "").astype(object)
        self.deleted = deleted[:n]
        self.registered = registered
        self.frames["users"] = pd.DataFrame({
            "user_id": ids, "first_name": first, "last_name": last, "email": email.astype(object),
            "title": title, "additional_info": info, "registered_at": _ts(registered), "invited_by": invited,
            "deleted_at": _ts(deleted), "auto_deletion_at": _ts(auto_del)})
        # custom profile fields
        loc = np.array(["Paris", "Berlin", "London", "Madrid", "Remote", "Lyon", "Munich"], dtype=object)
        contract = np.array(["Permanent", "Permanent", "Permanent", "Fixed-term", "Contractor"], dtype=object)
        self.frames["user_fields"] = pd.concat([
            pd.DataFrame({"user_id": ids, "field": "Location", "value": loc[rng.integers(0, len(loc), total)]}),
            pd.DataFrame({"user_id": ids, "field": "Contract", "value": contract[rng.integers(0, 5, total)]}),
            pd.DataFrame({"user_id": ids[:n], "field": "Employee ID",
                          "value": np.char.add("E", (100000 + np.arange(n)).astype(str)).astype(object)}),
        ], ignore_index=True)
        # memberships: learners in one team each; staff in divisions / regions / root
        self.learner_team = rng.integers(0, len(self.team_ids), n)
        m = [pd.DataFrame({"user_id": ids[:n], "group_id": self.team_ids[self.learner_team], "role": "learner"}),
             pd.DataFrame({"user_id": self.admin_ids, "group_id": ["g0"] + self.division_ids, "role": "admin"}),
             pd.DataFrame({"user_id": self.coach_ids, "group_id": self.region_ids, "role": "coach"}),
             pd.DataFrame({"user_id": self.author_ids, "group_id": "g0", "role": "author"}),
             pd.DataFrame({"user_id": self.instructor_ids, "group_id": "g0", "role": "instructor"})]
        self.frames["memberships"] = pd.concat(m, ignore_index=True)
        region_of_learner = self.team_region[self.learner_team]
        has_mgr = rng.random(n) < 0.9
        self.frames["managers"] = pd.DataFrame({"user_id": ids[:n][has_mgr],
                                                "manager_id": self.coach_ids[region_of_learner[has_mgr]]})

    def _logins(self):
        rng, n, now = self.rng, self.n, self.now
        # engagement profile: active, fading, lapsed, never
        profile = rng.choice(4, size=n, p=[0.56, 0.2, 0.14, 0.1])
        self.engagement = np.choose(profile, [rng.uniform(0.75, 1.0, n), rng.uniform(0.45, 0.8, n),
                                              rng.uniform(0.1, 0.45, n), np.zeros(n)])
        last_days = np.choose(profile, [rng.exponential(2.2, n), rng.uniform(4, 30, n),
                                        rng.uniform(30, 240, n), np.zeros(n)])
        count = np.choose(profile, [rng.poisson(28, n) + 1, rng.poisson(10, n) + 1, rng.poisson(4, n) + 1,
                                    np.zeros(n, dtype=int)])
        first_at = self.registered[:n]
        last_at = now - last_days * DAY
        last_at = np.where(np.isnan(self.deleted), last_at, np.minimum(last_at, self.deleted - DAY))
        last_at = np.maximum(last_at, first_at + 3600)
        count = np.where(last_at > now, 0, count)
        self.last_login = np.where(count > 0, last_at, np.nan)
        self.never = count == 0
        user = np.repeat(np.arange(n), count)
        span = (last_at - first_at)[user]
        # the newest login is the last one; the others spread over the account's life, denser recently
        u = rng.random(len(user)) ** 0.5
        at = first_at[user] + u * span
        is_last = np.r_[user[1:] != user[:-1], True] if len(user) else np.array([], bool)
        at[is_last] = last_at[user[is_last]]
        df = pd.DataFrame({"user_id": self.learner_ids[user], "at": np.floor(at)})
        staff_ids = self.user_ids[n:]
        k = 40
        staff = pd.DataFrame({"user_id": np.repeat(staff_ids, k),
                              "at": np.floor(now - rng.exponential(6, len(staff_ids) * k) * DAY - 60)})
        df = pd.concat([df, staff], ignore_index=True).drop_duplicates(["user_id", "at"])
        df["at"] = _ts(df["at"].to_numpy())
        self.frames["logins"] = df

    # --- content and programs ---------------------------------------------------------------
    def _content(self):
        rng, now = self.rng, self.now
        n_courses = int(min(150, 30 + self.n // 1500))
        cid = _ids("c", n_courses)
        names = [f"{TOPICS[i % len(TOPICS)]}" + (f" {i // len(TOPICS) + 1}" if i >= len(TOPICS) else "")
                 for i in range(n_courses)]
        author = self.author_ids[rng.integers(0, len(self.author_ids), n_courses)]
        coauthor = np.where(rng.random(n_courses) < 0.3, self.author_ids[rng.integers(0, len(self.author_ids),
                                                                                     n_courses)], "")
        coauthor = np.where(coauthor == author, "", coauthor)
        created = now - rng.uniform(200, 1000, n_courses) * DAY
        updated = created + rng.uniform(1, 150, n_courses) * DAY
        status = rng.choice(np.array(["active", "archived", "deleted"], dtype=object), n_courses,
                            p=[0.86, 0.1, 0.04])
        tags = np.array(["|".join(sorted(set(rng.choice(TAGS, 2)))) for _ in range(n_courses)], dtype=object)
        avail = np.where(rng.random(n_courses) < 0.4, "fr|de", "")
        unavail = np.where(rng.random(n_courses) < 0.15, "es", "")
        self.frames["courses"] = pd.DataFrame({
            "course_id": cid, "name": names, "author_id": author, "coauthor_ids": coauthor, "status": status,
            "created_at": _ts(created), "updated_at": _ts(updated), "source_language": "en",
            "available_languages": avail, "unavailable_languages": unavail, "tags": tags})
        self.course_ids = cid
        self.course_has_questions = rng.random(n_courses) < 0.8
        per = rng.integers(4, 11, n_courses)
        course_of = np.repeat(np.arange(n_courses), per)
        pos = np.concatenate([np.arange(1, k + 1) for k in per])
        types = rng.choice(np.array(["document", "cheat_sheet", "question"], dtype=object), len(course_of),
                           p=[0.4, 0.15, 0.45])
        types = np.where(~self.course_has_questions[course_of] & (types == "question"), "document", types)
        aid = _ids("a", len(course_of))
        titles = np.char.add(np.char.add(np.array(names, dtype=str)[course_of], " — part "), pos.astype(str))
        atags = np.where(types == "question", np.array(TAGS, dtype=object)[rng.integers(0, len(TAGS),
                                                                                         len(course_of))], "")
        self.frames["activities"] = pd.DataFrame({"activity_id": aid, "course_id": cid[course_of],
                                                  "position": pos, "title": titles.astype(object),
                                                  "type": types, "tags": atags})
        self.act_course = course_of
        self.act_type = types
        self.act_ids = aid
        pid = _ids("p", len(PROGRAMS) + len(PATHS))
        self.program_ids = pid
        self.program_kind = np.array(["program"] * len(PROGRAMS) + ["path"] * len(PATHS), dtype=object)
        self.frames["programs"] = pd.DataFrame({
            "program_id": pid, "name": PROGRAMS + PATHS, "kind": self.program_kind,
            "description": [f"{p}: a blended program for the whole organisation." for p in PROGRAMS + PATHS]})

    def _sessions(self):
        rng, now = self.rng, self.now
        ns = int(max(8, self.n // 40))
        sid = _ids("s", ns)
        prog = rng.integers(0, len(self.program_ids), ns)
        start = now + rng.uniform(-540, 75, ns) * DAY
        duration = rng.choice([28, 42, 56, 84, 120], ns)
        # session 1 is the flagship running cohort (about 10% of learners)
        start[0], duration[0] = now - 35 * DAY, 91
        prog[0] = PROGRAMS.index("Leadership Academy")
        start = np.floor(start / 3600) * 3600
        # ...and the most recently started running one, so the Participants page preselects it
        recent = (start >= start[0]) & (start <= now)
        recent[0] = False
        start[recent] -= 40 * DAY
        end = start + duration * DAY
        group_pool = np.array(["g0"] + self.division_ids + self.region_ids, dtype=object)
        grp = group_pool[rng.integers(0, len(group_pool), ns)]
        grp[0] = "g0"
        quarter = pd.to_datetime(start, unit="s").to_period("Q").astype(str).to_numpy()
        pnames = np.array(PROGRAMS + PATHS, dtype=object)
        names = pnames[prog] + " — " + quarter.astype(object) + " #" + np.arange(1, ns + 1).astype(str)
        names[0] = "Leadership Academy — Flagship Cohort"
        self.frames["sessions"] = pd.DataFrame({
            "session_id": sid, "program_id": self.program_ids[prog], "name": names,
            "start_at": _ts(start), "end_at": _ts(end),
            "author_id": self.admin_ids[rng.integers(0, len(self.admin_ids), ns)],
            "group_id": grp, "expected_duration_min": rng.choice([180, 240, 360, 480, 600], ns),
            "tags": np.array(TAGS, dtype=object)[prog % len(TAGS)],
            "description": np.where(rng.random(ns) < 0.5, "Cohort with live workshops.", "")})
        self.session_ids, self.s_start, self.s_end, self.s_prog = sid, start, end, prog
        inst_n = rng.integers(1, 3, ns)
        s_rep = np.repeat(np.arange(ns), inst_n)
        inst = pd.DataFrame({"session_id": sid[s_rep],
                             "user_id": self.instructor_ids[rng.integers(0, len(self.instructor_ids), len(s_rep))]})
        self.frames["session_instructors"] = inst.drop_duplicates()
        # blocks: 3..7 per session, mostly courses, an assessment and sometimes a classroom
        nb = rng.integers(3, 8, ns)
        nb[0] = 6
        b_sess = np.repeat(np.arange(ns), nb)
        b_pos = np.concatenate([np.arange(1, k + 1) for k in nb])
        b_last = b_pos == nb[b_sess]
        kind = np.full(len(b_sess), "course", dtype=object)
        kind[b_last & (rng.random(len(b_sess)) < 0.7)] = "assessment"
        classroom = (~b_last) & (b_pos == 2) & (rng.random(len(b_sess)) < 0.4)
        kind[classroom] = "classroom"
        kind[(b_sess == 0) & (b_pos == 3)] = "classroom"
        kind[(b_sess == 0) & (b_pos == 6)] = "assessment"
        course = self.course_ids[rng.integers(0, len(self.course_ids), len(b_sess))]
        course = np.where(kind == "course", course, "")
        frac = b_pos / nb[b_sess]
        due = self.s_start[b_sess] + frac * (self.s_end - self.s_start)[b_sess]
        due = np.where(rng.random(len(b_sess)) < 0.12, np.nan, np.floor(due / 3600) * 3600)
        cname = dict(zip(self.course_ids, self.frames["courses"]["name"], strict=True))
        title = np.array([cname[c] if k == "course" else ("Final assessment" if k == "assessment"
                                                           else "Live workshop") for c, k in zip(course, kind,
                                                                                                strict=True)],
                         dtype=object)
        passing = np.where(kind == "assessment", rng.choice([60.0, 70.0], len(b_sess)),
                           np.where((kind == "course") & (rng.random(len(b_sess)) < 0.1), 50.0, np.nan))
        bid = _ids("b", len(b_sess))
        self.frames["blocks"] = pd.DataFrame({
            "block_id": bid, "session_id": sid[b_sess], "position": b_pos, "kind": kind, "title": title,
            "course_id": course, "due_at": _ts(due),
            "tags": np.where(kind == "assessment", np.array(TAGS, dtype=object)[b_sess % len(TAGS)], ""),
            "passing_score_pct": _num(passing, 0)})
        self.b_sess, self.b_pos, self.b_kind, self.b_ids, self.b_course = b_sess, b_pos, kind, bid, course
        self.b_frac, self.b_pass = frac, passing
        # classroom slots: one or two per classroom block
        cb = np.flatnonzero(kind == "classroom")
        ns_per = rng.integers(1, 3, len(cb))
        slot_block = np.repeat(cb, ns_per)
        slot_no = np.concatenate([np.arange(1, k + 1) for k in ns_per]) if len(cb) else np.array([], int)
        slot_sess = b_sess[slot_block]
        s0 = self.s_start[slot_sess] + (frac[slot_block] * 0.8) * (self.s_end - self.s_start)[slot_sess]
        slot_start = np.floor(s0 / 3600) * 3600 + 9 * 3600 + (slot_no - 1) * 7 * DAY
        hours = rng.choice([2.0, 3.0, 3.5], len(slot_block))
        self.slot_ids = _ids("sl", len(slot_block))
        self.slot_block, self.slot_start = slot_block, slot_start
        self.frames["classroom_slots"] = pd.DataFrame({
            "slot_id": self.slot_ids, "block_id": bid[slot_block],
            "title": np.char.add("Workshop ", slot_no.astype(str)).astype(object),
            "start_at": _ts(slot_start), "end_at": _ts(slot_start + hours * 3600), "duration_hours": _num(hours)})

    def _enrollments(self):
        rng, n, now = self.rng, self.n, self.now
        ns = len(self.session_ids)
        k = np.minimum(rng.poisson(1.6, n) + 1, 5)
        user = np.repeat(np.arange(n), k)
        sess = rng.integers(1, ns, len(user))
        flagship = rng.random(n) < 0.1
        user = np.r_[user, np.flatnonzero(flagship)]
        sess = np.r_[sess, np.zeros(flagship.sum(), dtype=int)]
        df = pd.DataFrame({"u": user, "s": sess}).drop_duplicates().sort_values(["s", "u"], kind="stable")
        u, s = df["u"].to_numpy(), df["s"].to_numpy()
        m = len(u)
        waiting = rng.random(m) < 0.04
        source = rng.choice(np.array(["group", "assigned", "catalog"], dtype=object), m, p=[0.6, 0.27, 0.13])
        source[waiting] = "catalog"
        group = np.where(source == "group", self.team_ids[self.learner_team[u]], "")
        assigned = np.minimum(self.s_start[s] - rng.uniform(1, 30, m) * DAY, now - 3600)
        assigned = np.maximum(assigned, self.registered[u] + 60)
        unassigned = np.where((rng.random(m) < 0.04) & ~waiting,
                              np.minimum(assigned + rng.uniform(2, 40, m) * DAY, now - 60), np.nan)
        self.frames["enrollments"] = pd.DataFrame({
            "session_id": self.session_ids[s], "user_id": self.learner_ids[u],
            "status": np.where(waiting, "waiting_list", "registered"), "source": source, "group_id": group,
            "assigned_at": _ts(assigned), "unassigned_at": _ts(unassigned)})
        self.e_user, self.e_sess = u, s
        self.e_active = ~waiting

    # --- learning activity ---------------------------------------------------------------------
    def _activity(self):
        rng, now = self.rng, self.now
        # expand enrollments × blocks of their session
        e_idx = np.flatnonzero(self.e_active)
        first_block = np.searchsorted(self.b_sess, np.arange(len(self.session_ids)))
        n_blocks = np.bincount(self.b_sess, minlength=len(self.session_ids))
        reps = n_blocks[self.e_sess[e_idx]]
        ee = np.repeat(e_idx, reps)
        offs = np.concatenate([np.arange(r) for r in reps]) if len(reps) else np.array([], int)
        bb = first_block[self.e_sess[ee]] + offs
        u, s = self.e_user[ee], self.e_sess[ee]
        # the block opens along the timeline; engagement decays with position (drop-off)
        opens = self.s_start[s] + (self.b_frac[bb] - 1 / np.maximum(n_blocks[s], 1)) * (self.s_end - self.s_start)[s]
        eng = self.engagement[u]
        reach = rng.random(len(ee)) < eng * (0.93 ** (self.b_pos[bb] - 1))
        # a learner who skipped a block rarely comes back to the next ones
        stop = ~reach
        key = pd.Series(stop).groupby(ee).cummax().to_numpy()
        reached = reach & ~key & (opens < now)
        last_seen = np.where(np.isnan(self.last_login[u]), now, self.last_login[u])
        reached &= opens < last_seen
        kind = self.b_kind[bb]
        t0 = np.maximum(opens, self.s_start[s]) + rng.uniform(0, 6, len(ee)) * DAY
        t0 = np.minimum(t0, last_seen - 1800)
        t0 = np.floor(np.maximum(t0, self.s_start[s]))
        # scores skewed high with a spread
        score = np.clip(rng.beta(5.2, 1.5, len(ee)) * 100 + rng.normal(0, 4, len(ee)), 0, 100)
        # --- course attempts
        c = reached & (kind == "course")
        ci = np.flatnonzero(c)
        n_att = 1 + (rng.random(len(ci)) < 0.16) + (rng.random(len(ci)) < 0.04)
        ai = np.repeat(ci, n_att)
        att_no = np.concatenate([np.arange(1, k + 1) for k in n_att]) if len(n_att) else np.array([], int)
        is_last = att_no == n_att[np.searchsorted(ci, ai)]
        start = t0[ai] + (att_no - 1) * rng.uniform(1, 5, len(ai)) * DAY
        start = np.minimum(start, now - 600)
        time_s = np.round(rng.lognormal(7.0, 0.6, len(ai)))
        completed = np.where(is_last, rng.random(len(ai)) < 0.86, rng.random(len(ai)) < 0.35)
        last_act = np.minimum(start + time_s * rng.uniform(1.2, 6, len(ai)), now - 60)
        course_idx = np.searchsorted(self.course_ids, self.b_course[bb[ai]])
        has_q = self.course_has_questions[course_idx]
        sc = np.where(is_last, score[ai], np.clip(score[ai] - rng.uniform(5, 30, len(ai)), 0, 100))
        sc = np.where(has_q, np.round(sc, 1), np.nan)
        progress = np.where(completed, 100.0, np.round(rng.uniform(5, 95, len(ai))))
        attempts = pd.DataFrame({
            "attempt_id": _ids("t", len(ai)), "user_id": self.learner_ids[u[ai]], "course_id": self.b_course[bb[ai]],
            "session_id": self.session_ids[s[ai]], "attempt_no": att_no, "started_at": _ts(start),
            "last_activity_at": _ts(last_act), "completed_at": _ts(np.where(completed, last_act, np.nan)),
            "progress_pct": _num(progress, 0), "score_pct": _num(sc), "time_spent_s": time_s.astype("int64"),
            "language": LANGS[rng.integers(0, len(LANGS), len(ai))]})
        # a few courses played outside any program
        free_u = rng.choice(self.n, size=max(1, self.n // 20), replace=False)
        free_u = free_u[~self.never[free_u]]
        fc = rng.integers(0, len(self.course_ids), len(free_u))
        fstart = np.minimum(self.last_login[free_u] - 3600, now - 3600)
        fstart = np.maximum(fstart, self.registered[free_u])
        ftime = np.round(rng.lognormal(6.5, 0.6, len(free_u)))
        fdone = rng.random(len(free_u)) < 0.6
        free = pd.DataFrame({
            "attempt_id": _ids("t", len(free_u), start=len(ai) + 1), "user_id": self.learner_ids[free_u],
            "course_id": self.course_ids[fc], "session_id": "", "attempt_no": 1, "started_at": _ts(fstart),
            "last_activity_at": _ts(fstart + ftime), "completed_at": _ts(np.where(fdone, fstart + ftime, np.nan)),
            "progress_pct": _num(np.where(fdone, 100, 40), 0),
            "score_pct": _num(np.where(self.course_has_questions[fc], score[:len(free_u)] if len(score) >= len(free_u)
                                       else 80.0, np.nan)),
            "time_spent_s": ftime.astype("int64"), "language": "en"})
        self.frames["course_attempts"] = pd.concat([attempts, free], ignore_index=True)
        # --- assessments
        a = np.flatnonzero(reached & (kind == "assessment"))
        a_score = np.round(score[a], 1)
        self.frames["assessment_results"] = pd.DataFrame({
            "user_id": self.learner_ids[u[a]], "block_id": self.b_ids[bb[a]], "score_pct": _num(a_score),
            "passed": np.where(a_score >= np.nan_to_num(self.b_pass[bb[a]], nan=60.0), "true", "false"),
            "submitted_at": _ts(np.minimum(t0[a] + 3600, now - 60))})
        # --- classroom attendance: every slot of reached classroom blocks whose slot has begun
        cl = np.flatnonzero((kind == "classroom") & (opens < now))
        slot_rows = []
        for_block = pd.Series(np.arange(len(self.slot_block))).groupby(self.slot_block).apply(list).to_dict()
        if len(cl):
            cl_slots = [for_block.get(b, []) for b in bb[cl]]
            counts = np.array([len(x) for x in cl_slots])
            rep = np.repeat(cl, counts)
            sl = np.concatenate([np.array(x, dtype=int) for x in cl_slots if x]) if counts.sum() else np.array([], int)
            ok = self.slot_start[sl] < now
            rep, sl = rep[ok], sl[ok]
            att = np.where(reached[rep], rng.choice([100.0, 100.0, 100.0, 50.0], len(rep)), 0.0)
            slot_rows = pd.DataFrame({"slot_id": self.slot_ids[sl], "user_id": self.learner_ids[u[rep]],
                                      "attendance_pct": _num(att, 0)})
        self.frames["slot_attendance"] = (slot_rows if len(slot_rows) else
                                          pd.DataFrame(columns=["slot_id", "user_id", "attendance_pct"]))
        # --- answers to question activities, views and downloads (per course attempt)
        act_by_course = pd.Series(np.arange(len(self.act_ids))).groupby(self.act_course).apply(np.array).to_dict()
        views_n = rng.integers(2, 6, len(ai))
        vi = np.repeat(np.arange(len(ai)), views_n)
        v_course = course_idx[vi]
        v_act = np.array([act_by_course[c][j % len(act_by_course[c])] for c, j in
                          zip(v_course, rng.integers(0, 10, len(vi)), strict=True)]) if len(vi) else np.array([], int)
        v_at = np.floor(start[vi] + rng.uniform(0, 1, len(vi)) * np.maximum(last_act[vi] - start[vi], 60))
        views = pd.DataFrame({"user_id": self.learner_ids[u[ai[vi]]], "activity_id": self.act_ids[v_act],
                              "started_at": v_at})
        views = views.drop_duplicates(["user_id", "activity_id", "started_at"])
        is_q = self.act_type[v_act] == "question"
        ans = pd.DataFrame({"user_id": self.learner_ids[u[ai[vi]]][is_q], "activity_id": self.act_ids[v_act][is_q],
                            "session_id": self.session_ids[s[ai[vi]]][is_q],
                            "score_pct": _num(np.clip(score[ai[vi]][is_q] + rng.normal(0, 12, is_q.sum()), 0, 100), 0),
                            "answered_at": v_at[is_q] + 30}).drop_duplicates(["user_id", "activity_id", "answered_at"])
        ans["answered_at"] = _ts(ans["answered_at"].to_numpy())
        self.frames["answers"] = ans
        is_doc = (self.act_type[v_act] != "question") & (rng.random(len(vi)) < 0.12)
        dls = pd.DataFrame({"user_id": self.learner_ids[u[ai[vi]]][is_doc], "activity_id": self.act_ids[v_act][is_doc],
                            "at": v_at[is_doc] + 45}).drop_duplicates(["user_id", "activity_id", "at"])
        dls["at"] = _ts(dls["at"].to_numpy())
        self.frames["downloads"] = dls
        views["started_at"] = _ts(views["started_at"].to_numpy())
        self.frames["activity_views"] = views
        self._reaction_pool = (self.learner_ids[u[ai[vi]]], self.act_ids[v_act], v_at)
        # --- certificates: learners who completed every block of a finished session
        done = pd.DataFrame({"e": ee, "ok": reached & np.isin(kind, ["assessment", "classroom", "course"])})
        complete = done.groupby("e")["ok"].all()
        ce = complete.index[complete.to_numpy()].to_numpy()
        ce = ce[self.s_end[self.e_sess[ce]] < now]
        delivered = self.s_end[self.e_sess[ce]] - rng.uniform(0, 5, len(ce)) * DAY
        life = rng.choice([365.0, 730.0, np.nan], len(ce), p=[0.5, 0.3, 0.2])
        expires = delivered + life * DAY
        prog = self.s_prog[self.e_sess[ce]]
        is_path = self.program_kind[prog] == "path"
        self.frames["certificates"] = pd.DataFrame({
            "certificate_id": _ids("cert", len(ce)), "user_id": self.learner_ids[self.e_user[ce]],
            "name": np.char.add(np.array(PROGRAMS + PATHS, dtype=str)[prog], " certificate").astype(object),
            "session_id": np.where(is_path, "", self.session_ids[self.e_sess[ce]]),
            "program_id": np.where(is_path, self.program_ids[prog], ""),
            "delivered_at": _ts(delivered), "expires_at": _ts(expires)})

    # --- collaboration -------------------------------------------------------------------------
    def _collaboration(self):
        rng, n, now = self.rng, self.n, self.now
        active = np.flatnonzero(~self.never)
        n_top = max(10, n // 3)
        author = rng.choice(active, n_top)
        space = rng.choice(np.array(["group", "session", "profile", "course", "learning_need", "project"],
                                    dtype=object), n_top, p=[0.3, 0.25, 0.1, 0.25, 0.05, 0.05])
        ctx = np.empty(n_top, dtype=object)
        g = space == "group"
        ctx[g] = self.team_ids[self.learner_team[author[g]]]
        sp = space == "session"
        ctx[sp] = self.session_ids[rng.integers(0, len(self.session_ids), sp.sum())]
        pr = space == "profile"
        ctx[pr] = self.learner_ids[author[pr]]
        co = space == "course"
        act = rng.integers(0, len(self.act_ids), n_top)
        ctx[co] = self.course_ids[self.act_course[act[co]]]
        other = ~(g | sp | pr | co)
        ctx[other] = np.char.add("need-", rng.integers(1, 40, other.sum()).astype(str)).astype(object)
        created = np.floor(np.minimum(self.last_login[author], now - 60) - rng.uniform(0, 60, n_top) * DAY)
        created = np.maximum(created, self.registered[author])
        post_ids = _ids("po", n_top)
        top = pd.DataFrame({"post_id": post_ids, "user_id": self.learner_ids[author], "created_at": created,
                            "space": space, "context_id": ctx, "parent_id": "",
                            "activity_id": np.where(co, self.act_ids[act], ""),
                            "archived": np.where(rng.random(n_top) < 0.05, "true", "false")})
        n_rep = int(n_top * 0.8)
        parent = rng.integers(0, n_top, n_rep)
        rauthor = rng.choice(active, n_rep)
        rcreated = np.floor(np.minimum(created[parent] + rng.exponential(2, n_rep) * DAY, now - 30))
        replies = pd.DataFrame({"post_id": _ids("po", n_rep, start=n_top + 1), "user_id": self.learner_ids[rauthor],
                                "created_at": rcreated, "space": space[parent], "context_id": ctx[parent],
                                "parent_id": post_ids[parent], "activity_id": top["activity_id"].to_numpy()[parent],
                                "archived": "false"})
        posts = pd.concat([top, replies], ignore_index=True)
        posts["created_at"] = _ts(posts["created_at"].to_numpy())
        self.frames["posts"] = posts
        # reactions: on activities (from views) and likes on posts
        vu, va, vat = self._reaction_pool
        pick = rng.random(len(vu)) < 0.15
        kinds = rng.choice(np.array(REACTION_KINDS, dtype=object), pick.sum(),
                           p=[0.35, 0.2, 0.05, 0.1, 0.2, 0.05, 0.05])
        r1 = pd.DataFrame({"user_id": vu[pick], "created_at": vat[pick] + 90, "kind": kinds,
                           "activity_id": va[pick], "post_id": ""})
        n_likes = n_top
        liker = rng.choice(active, n_likes)
        lp = rng.integers(0, len(posts), n_likes)
        r2 = pd.DataFrame({"user_id": self.learner_ids[liker],
                           "created_at": np.floor(np.minimum(np.r_[created, rcreated][lp] + 3600, now - 10)),
                           "kind": "like", "activity_id": "", "post_id": posts["post_id"].to_numpy()[lp]})
        reactions = pd.concat([r1, r2], ignore_index=True).drop_duplicates(
            ["user_id", "created_at", "kind", "activity_id", "post_id"])
        reactions["created_at"] = _ts(reactions["created_at"].to_numpy())
        self.frames["reactions"] = reactions

    # --- collaboration: what makes every rule of metrics.md "Collaborative activity" matter ------------
    def _authors_in_divisions(self):
        """Half the authors also belong to a division (role author), so the Courses CSV's Group (the main
        author's lowest-level group) varies and a division's admins see their authors' courses."""
        k = len(self.author_ids) // 2
        rows = pd.DataFrame({"user_id": self.author_ids[:k],
                             "group_id": [self.division_ids[i % len(self.division_ids)] for i in range(k)],
                             "role": "author"})
        self.frames["memberships"] = pd.concat([self.frames["memberships"], rows], ignore_index=True)

    def _collaboration_rules(self):
        """Rows appended after the generated collaboration so each rule shows up even in a small demo:
        coaches and admins posting, replying and reacting (the Groups tab counts learners only), archived
        replies, forum comments in every archived and deleted course (with and without an activity), and
        likes on those posts."""
        rng, now = self.extra_rng, self.now
        posts = self.frames["posts"]
        start = len(posts) + 1
        staff = np.r_[self.coach_ids, self.admin_ids[1:]]
        home = np.r_[self.region_ids, self.division_ids]
        n_staff = len(staff)
        at = np.floor(now - rng.uniform(1, 90, n_staff) * DAY)
        staff_ids = _ids("po", n_staff, start=start)
        learner_top = posts.index[(posts["parent_id"] == "") & posts["space"].isin(["group", "session"])].to_numpy()
        parents = posts.loc[rng.choice(learner_top, n_staff), ["post_id", "space", "context_id"]]
        reply_at = np.floor(now - rng.uniform(0.1, 1, n_staff) * DAY)
        quiet = np.flatnonzero(self.frames["courses"]["status"].to_numpy() != "active")
        forum_acts = [np.flatnonzero(self.act_course == c) for c in quiet]
        n_forum = len(quiet)
        forum_users = self.learner_ids[rng.choice(np.flatnonzero(~self.never), max(1, 2 * n_forum))]
        rows = [
            pd.DataFrame({"post_id": staff_ids, "user_id": staff, "created_at": at, "space": "group",
                          "context_id": home, "parent_id": "", "activity_id": "", "archived": "false"}),
            pd.DataFrame({"post_id": _ids("po", n_staff, start=start + n_staff), "user_id": staff,
                          "created_at": reply_at, "space": parents["space"].to_numpy(),
                          "context_id": parents["context_id"].to_numpy(), "parent_id": parents["post_id"].to_numpy(),
                          "activity_id": "", "archived": np.where(np.arange(n_staff) % 3 == 0, "true", "false")}),
            pd.DataFrame({"post_id": _ids("po", n_forum, start=start + 2 * n_staff),
                          "user_id": forum_users[:n_forum],
                          "created_at": np.floor(now - rng.uniform(1, 30, n_forum) * DAY),
                          "space": "course", "context_id": self.course_ids[quiet], "parent_id": "",
                          "activity_id": [self.act_ids[a[0]] if len(a) else "" for a in forum_acts],
                          "archived": "false"}),
            pd.DataFrame({"post_id": _ids("po", n_forum, start=start + 2 * n_staff + n_forum),
                          "user_id": forum_users[n_forum:2 * n_forum], "created_at": np.floor(now - 0.5 * DAY),
                          "space": "course", "context_id": self.course_ids[quiet], "parent_id": "", "activity_id": "",
                          "archived": "true"}),
        ]
        extra = pd.concat(rows, ignore_index=True)
        extra["created_at"] = _ts(extra["created_at"].to_numpy())
        self.frames["posts"] = pd.concat([posts, extra], ignore_index=True)
        # staff react on activities of every course (every kind) and like the forum comments above
        kinds = np.array(REACTION_KINDS, dtype=object)
        acts = rng.integers(0, len(self.act_ids), n_staff)
        liked = extra["post_id"].to_numpy()[2 * n_staff:]
        reactions = pd.concat([
            pd.DataFrame({"user_id": staff, "created_at": _ts(np.floor(now - rng.uniform(1, 60, n_staff) * DAY)),
                          "kind": kinds[np.arange(n_staff) % len(kinds)], "activity_id": self.act_ids[acts],
                          "post_id": ""}),
            pd.DataFrame({"user_id": self.coach_ids[np.arange(len(liked)) % len(self.coach_ids)],
                          "created_at": _ts(np.full(len(liked), float(now - 3600))), "kind": "like",
                          "activity_id": "", "post_id": liked}),
        ], ignore_index=True)
        self.frames["reactions"] = pd.concat([self.frames["reactions"], reactions], ignore_index=True).drop_duplicates(
            ["user_id", "created_at", "kind", "activity_id", "post_id"])


    # --- users statistics ------------------------------------------------------------
    def _team_leads(self):
        """Learners who manage a few colleagues of their own team, so the Users page has managers at two
        levels (a coach's team includes team leads with their own teams). Its own random stream, so every
        other file stays as it was; the rows are appended to managers.csv."""
        rng, n = np.random.default_rng([self.seed, 8]), self.n
        current = np.flatnonzero(np.isnan(self.deleted))
        leads = rng.choice(current, size=min(len(current), max(3, n // 70)), replace=False)
        by_team = pd.Series(np.arange(n)).groupby(self.learner_team).apply(np.array).to_dict()
        rows = []
        for lead in leads:
            mates = by_team[self.learner_team[lead]]
            mates = mates[mates != lead]
            if len(mates):
                for mate in rng.choice(mates, size=min(len(mates), int(rng.integers(3, 9))), replace=False):
                    rows.append((self.learner_ids[mate], self.learner_ids[lead]))
        extra = pd.DataFrame(rows, columns=["user_id", "manager_id"])
        self.frames["managers"] = pd.concat([self.frames["managers"], extra], ignore_index=True).drop_duplicates(
            ["user_id", "manager_id"])


def generate(learners: int, seed: int, now: datetime) -> dict[str, pd.DataFrame]:
    return DemoGenerator(learners, seed, now).build()


def write_bundle(frames: dict[str, pd.DataFrame], folder: Path | str) -> dict[str, int]:
    """Write the frames as bundle CSVs, in the column order of bundle_spec."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, df in frames.items():
        cols = BY_NAME[name].col_names
        df = df[cols]
        df.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
        counts[name] = len(df)
    return counts


def run_demo(engine, learners: int, seed: int, now: datetime, out: Path | str | None = None,
             import_it: bool = True, on_progress=None):
    """Generate, write the bundle (to `out` or a temporary folder) and import it.

    Returns (row counts written, ImportReport or None, seconds spent generating+writing).
    """
    import tempfile
    import time

    from data_access.importer import import_bundle

    t0 = time.perf_counter()
    frames = generate(learners, seed, now)
    if out is None:
        with tempfile.TemporaryDirectory(prefix="learnpulse-demo-") as tmp:
            counts = write_bundle(frames, tmp)
            del frames
            gen_s = time.perf_counter() - t0
            report = import_bundle(engine, tmp, on_progress=on_progress) if import_it else None
    else:
        counts = write_bundle(frames, out)
        del frames
        gen_s = time.perf_counter() - t0
        report = import_bundle(engine, out, on_progress=on_progress) if import_it else None
    return counts, report, gen_s
