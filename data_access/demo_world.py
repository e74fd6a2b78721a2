"""The demo's shared world, drawn once whatever the number of learners: the group tree, the staff (admins,
coaches, authors, instructors), courses and activities, programs, sessions with their blocks and classroom
slots. Learners are drawn afterwards, a chunk at a time (demo_people), against this world."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access.demo_common import (
    CONTRACTS,
    DAY,
    DIVISIONS,
    FIRST,
    LAST,
    LOCATIONS,
    PATHS,
    PROGRAMS,
    REGIONS,
    TAGS,
    TOPICS,
    emails,
    ids,
    names,
    num,
    ts,
)


@dataclass
class World:
    n: int  # learners
    now: int
    rng: np.random.Generator
    width: int = 5  # digits of a user id
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    a: dict = field(default_factory=dict)  # named arrays the learners' tables draw from


def build_world(n: int, seed: int, now: int) -> World:
    w = World(n=n, now=now, rng=np.random.default_rng(seed))
    _groups(w)
    _staff(w)
    _courses(w)
    _activities(w)
    _programs(w)
    _sessions(w)
    _blocks(w)
    _slots(w)
    return w


def _groups(w: World) -> None:
    rows = [("g0", "Acme Learning", "")]
    division_ids, region_ids, team_ids, team_region = [], [], [], []
    n_teams = max(len(DIVISIONS) * len(REGIONS), w.n // 250)
    teams_per_region = int(np.ceil(n_teams / (len(DIVISIONS) * len(REGIONS))))
    for d, dname in enumerate(DIVISIONS):
        did = f"g{d + 1}"
        rows.append((did, dname, "g0"))
        division_ids.append(did)
        for r, rname in enumerate(REGIONS):
            rid = f"g{d + 1}{r + 1}"
            rows.append((rid, f"{dname} {rname}", did))
            region_ids.append(rid)
            for t in range(teams_per_region):
                tid = f"{rid}t{t + 1}"
                rows.append((tid, f"{dname} {rname} Team {t + 1}", rid))
                team_ids.append(tid)
                team_region.append(len(region_ids) - 1)
    w.tables["groups"] = pd.DataFrame(rows, columns=["group_id", "name", "parent_id"])
    w.a.update(division_ids=division_ids, region_ids=region_ids, team_ids=np.array(team_ids, dtype=object),
               team_region=np.array(team_region))


def _staff(w: World) -> None:
    """Users after the learners: an admin of the platform and one per division, a coach per region, authors and
    instructors; their memberships, profile fields and logins."""
    rng, n, now, a = w.rng, w.n, w.now, w.a
    counts = {"admin": len(DIVISIONS) + 1, "coach": len(a["region_ids"]), "author": 8,
              "instructor": max(6, n // 2000)}
    total = sum(counts.values())
    w.width = max(5, len(str(n + total + 1)))
    uid = ids("u", total, start=n + 1, width=w.width)
    bounds = np.cumsum([0, *counts.values()])
    for (role, _), lo, hi in zip(counts.items(), bounds[:-1], bounds[1:], strict=True):
        a[f"{role}_ids"] = uid[lo:hi]
    a["name_pairs"] = rng.permutation(len(FIRST) * len(LAST))
    first, last = names(a["name_pairs"], np.arange(n + 1, n + total + 1))
    title = np.repeat(np.array(["Learning Admin", "Coach", "Instructional Designer", "Trainer"], dtype=object),
                      list(counts.values()))
    w.tables["users"] = pd.DataFrame({
        "user_id": uid, "first_name": first, "last_name": last,
        "email": emails(first, last, np.arange(n + 1, n + total + 1)), "title": title,
        "additional_info": np.where(rng.random(total) < 0.15, "Part-time", "").astype(object),
        "registered_at": ts(now - rng.uniform(700, 1000, total) * DAY),
        "invited_by": np.where(np.arange(total) == 0, "", a["admin_ids"][0]), "deleted_at": "",
        "auto_deletion_at": ""})
    w.tables["user_fields"] = pd.concat([
        pd.DataFrame({"user_id": uid, "field": "Location", "value": LOCATIONS[rng.integers(0, 7, total)]}),
        pd.DataFrame({"user_id": uid, "field": "Contract", "value": CONTRACTS[rng.integers(0, 5, total)]})],
        ignore_index=True)
    k = len(a["author_ids"]) // 2  # half the authors also belong to a division (the Courses CSV's Group varies)
    w.tables["memberships"] = pd.concat([
        pd.DataFrame({"user_id": a["admin_ids"], "group_id": ["g0"] + a["division_ids"], "role": "admin"}),
        pd.DataFrame({"user_id": a["coach_ids"], "group_id": a["region_ids"], "role": "coach"}),
        pd.DataFrame({"user_id": a["author_ids"], "group_id": "g0", "role": "author"}),
        pd.DataFrame({"user_id": a["instructor_ids"], "group_id": "g0", "role": "instructor"}),
        pd.DataFrame({"user_id": a["author_ids"][:k], "role": "author",
                      "group_id": [a["division_ids"][i % len(a["division_ids"])] for i in range(k)]}),
    ], ignore_index=True)
    logins = pd.DataFrame({"user_id": np.repeat(uid, 40),
                           "at": np.floor(now - rng.exponential(6, total * 40) * DAY - 60)})
    logins = logins.drop_duplicates(["user_id", "at"])
    logins["at"] = ts(logins["at"].to_numpy())
    w.tables["logins"] = logins


def _courses(w: World) -> None:
    rng, now, a = w.rng, w.now, w.a
    n_courses = int(min(150, 30 + w.n // 1500))
    cid = ids("c", n_courses)
    names = [f"{TOPICS[i % len(TOPICS)]}" + (f" {i // len(TOPICS) + 1}" if i >= len(TOPICS) else "")
             for i in range(n_courses)]
    authors = a["author_ids"]
    author = authors[rng.integers(0, len(authors), n_courses)]
    coauthor = np.where(rng.random(n_courses) < 0.3, authors[rng.integers(0, len(authors), n_courses)], "")
    coauthor = np.where(coauthor == author, "", coauthor)
    created = now - rng.uniform(200, 1000, n_courses) * DAY
    updated = created + rng.uniform(1, 150, n_courses) * DAY
    status = rng.choice(np.array(["active", "archived", "deleted"], dtype=object), n_courses, p=[0.86, 0.1, 0.04])
    tags = np.array(["|".join(sorted(set(rng.choice(TAGS, 2)))) for _ in range(n_courses)], dtype=object)
    w.tables["courses"] = pd.DataFrame({
        "course_id": cid, "name": names, "author_id": author, "coauthor_ids": coauthor, "status": status,
        "created_at": ts(created), "updated_at": ts(updated), "source_language": "en",
        "available_languages": np.where(rng.random(n_courses) < 0.4, "fr|de", ""),
        "unavailable_languages": np.where(rng.random(n_courses) < 0.15, "es", ""), "tags": tags})
    a.update(course_ids=cid, course_names=np.array(names, dtype=str), course_status=status,
             course_has_questions=rng.random(n_courses) < 0.8)


def _activities(w: World) -> None:
    rng, a = w.rng, w.a
    n_courses = len(a["course_ids"])
    per = rng.integers(4, 11, n_courses)
    course_of = np.repeat(np.arange(n_courses), per)
    pos = np.concatenate([np.arange(1, k + 1) for k in per])
    types = rng.choice(np.array(["document", "cheat_sheet", "question"], dtype=object), len(course_of),
                       p=[0.4, 0.15, 0.45])
    types = np.where(~a["course_has_questions"][course_of] & (types == "question"), "document", types)
    aid = ids("a", len(course_of))
    titles = np.char.add(np.char.add(a["course_names"][course_of], " — part "), pos.astype(str))
    atags = np.where(types == "question", np.array(TAGS, dtype=object)[rng.integers(0, len(TAGS), len(course_of))],
                     "")
    w.tables["activities"] = pd.DataFrame({"activity_id": aid, "course_id": a["course_ids"][course_of],
                                           "position": pos, "title": titles.astype(object), "type": types,
                                           "tags": atags})
    a.update(act_course=course_of, act_type=types, act_ids=aid, act_first=np.cumsum(per) - per, act_count=per)


def _programs(w: World) -> None:
    pid = ids("p", len(PROGRAMS) + len(PATHS))
    kind = np.array(["program"] * len(PROGRAMS) + ["path"] * len(PATHS), dtype=object)
    w.tables["programs"] = pd.DataFrame({
        "program_id": pid, "name": PROGRAMS + PATHS, "kind": kind,
        "description": [f"{p}: a blended program for the whole organisation." for p in PROGRAMS + PATHS]})
    w.a.update(program_ids=pid, program_kind=kind)


def _sessions(w: World) -> None:
    rng, now, a = w.rng, w.now, w.a
    ns = int(max(8, w.n // 40))
    sid = ids("s", ns)
    prog = rng.integers(0, len(a["program_ids"]), ns)
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
    group_pool = np.array(["g0"] + a["division_ids"] + a["region_ids"], dtype=object)
    grp = group_pool[rng.integers(0, len(group_pool), ns)]
    grp[0] = "g0"
    quarter = pd.to_datetime(start, unit="s").to_period("Q").astype(str).to_numpy()
    pnames = np.array(PROGRAMS + PATHS, dtype=object)
    names = pnames[prog] + " — " + quarter.astype(object) + " #" + np.arange(1, ns + 1).astype(str)
    names[0] = "Leadership Academy — Flagship Cohort"
    w.tables["sessions"] = pd.DataFrame({
        "session_id": sid, "program_id": a["program_ids"][prog], "name": names, "start_at": ts(start),
        "end_at": ts(end), "author_id": a["admin_ids"][rng.integers(0, len(a["admin_ids"]), ns)],
        "group_id": grp, "expected_duration_min": rng.choice([180, 240, 360, 480, 600], ns),
        "tags": np.array(TAGS, dtype=object)[prog % len(TAGS)],
        "description": np.where(rng.random(ns) < 0.5, "Cohort with live workshops.", "")})
    a.update(session_ids=sid, s_start=start, s_end=end, s_prog=prog)
    s_rep = np.repeat(np.arange(ns), rng.integers(1, 3, ns))
    inst = pd.DataFrame({"session_id": sid[s_rep],
                         "user_id": a["instructor_ids"][rng.integers(0, len(a["instructor_ids"]), len(s_rep))]})
    w.tables["session_instructors"] = inst.drop_duplicates()


def _blocks(w: World) -> None:
    """3..7 per session, mostly courses, an assessment and sometimes a classroom."""
    rng, a = w.rng, w.a
    ns = len(a["session_ids"])
    nb = rng.integers(3, 8, ns)
    nb[0] = 6
    b_sess = np.repeat(np.arange(ns), nb)
    b_pos = np.concatenate([np.arange(1, k + 1) for k in nb])
    b_last = b_pos == nb[b_sess]
    kind = np.full(len(b_sess), "course", dtype=object)
    kind[b_last & (rng.random(len(b_sess)) < 0.7)] = "assessment"
    kind[(~b_last) & (b_pos == 2) & (rng.random(len(b_sess)) < 0.4)] = "classroom"
    kind[(b_sess == 0) & (b_pos == 3)] = "classroom"
    kind[(b_sess == 0) & (b_pos == 6)] = "assessment"
    course = a["course_ids"][rng.integers(0, len(a["course_ids"]), len(b_sess))]
    course = np.where(kind == "course", course, "")
    frac = b_pos / nb[b_sess]
    due = a["s_start"][b_sess] + frac * (a["s_end"] - a["s_start"])[b_sess]
    # some topics have no due date; the flagship's all have one, so its first two are due 35 days in (at risk,
    # Participants' progress against the schedule)
    due = np.where((rng.random(len(b_sess)) < 0.12) & (b_sess != 0), np.nan, np.floor(due / 3600) * 3600)
    cname = dict(zip(a["course_ids"], a["course_names"], strict=True))
    title = np.array([cname[c] if k == "course" else ("Final assessment" if k == "assessment" else "Live workshop")
                      for c, k in zip(course, kind, strict=True)], dtype=object)
    passing = np.where(kind == "assessment", rng.choice([60.0, 70.0], len(b_sess)),
                       np.where((kind == "course") & (rng.random(len(b_sess)) < 0.1), 50.0, np.nan))
    bid = ids("b", len(b_sess))
    w.tables["blocks"] = pd.DataFrame({
        "block_id": bid, "session_id": a["session_ids"][b_sess], "position": b_pos, "kind": kind, "title": title,
        "course_id": course, "due_at": ts(due),
        "tags": np.where(kind == "assessment", np.array(TAGS, dtype=object)[b_sess % len(TAGS)], ""),
        "passing_score_pct": num(passing, 0)})
    a.update(b_sess=b_sess, b_pos=b_pos, b_kind=kind, b_ids=bid, b_course=course, b_frac=frac, b_pass=passing,
             first_block=np.searchsorted(b_sess, np.arange(ns)), n_blocks=np.bincount(b_sess, minlength=ns),
             b_course_idx=np.searchsorted(a["course_ids"], course))


def _slots(w: World) -> None:
    """One or two per classroom block."""
    rng, a = w.rng, w.a
    cb = np.flatnonzero(a["b_kind"] == "classroom")
    ns_per = rng.integers(1, 3, len(cb))
    slot_block = np.repeat(cb, ns_per)
    slot_no = np.concatenate([np.arange(1, k + 1) for k in ns_per]) if len(cb) else np.array([], int)
    slot_sess = a["b_sess"][slot_block]
    span = (a["s_end"] - a["s_start"])[slot_sess]
    s0 = a["s_start"][slot_sess] + (a["b_frac"][slot_block] * 0.8) * span
    slot_start = np.floor(s0 / 3600) * 3600 + 9 * 3600 + (slot_no - 1) * 7 * DAY
    hours = rng.choice([2.0, 3.0, 3.5], len(slot_block))
    slot_ids = ids("sl", len(slot_block))
    a.update(slot_ids=slot_ids, slot_block=slot_block, slot_start=slot_start,
             slots_of_block=pd.Series(np.arange(len(slot_block))).groupby(slot_block).apply(list).to_dict())
    w.tables["classroom_slots"] = pd.DataFrame({
        "slot_id": slot_ids, "block_id": a["b_ids"][slot_block],
        "title": np.char.add("Workshop ", slot_no.astype(str)).astype(object),
        "start_at": ts(slot_start), "end_at": ts(slot_start + hours * 3600), "duration_hours": num(hours)})
