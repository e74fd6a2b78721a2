"""The demo's learning activity for one chunk of learners: course attempts, assessment results, classroom
attendance, answers, activity views, downloads and certificates, from each enrollment × block of its session."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.demo_common import DAY, LANGS, PATHS, PROGRAMS, num, ts
from data_access.demo_people import Cohort
from data_access.demo_world import World


def build_activity(w: World, c: Cohort) -> None:
    x = _reach(w, c)
    _course_attempts(w, c, x)
    _free_attempts(w, c, x)
    _assessments(w, c, x)
    _attendance(w, c, x)
    _views(w, c, x)
    _certificates(w, c, x)


def _reach(w: World, c: Cohort) -> dict:
    """Every active enrollment × block of its session; which blocks the learner reached and when: a block opens
    along the timeline, engagement decays with position (drop-off), and a learner who skipped a block rarely
    comes back to the next ones."""
    rng, now, a = c.rng, w.now, w.a
    e_idx = np.flatnonzero(c.a["e_active"])
    n_blocks = a["n_blocks"]
    reps = n_blocks[c.a["e_sess"][e_idx]]
    ee = np.repeat(e_idx, reps)
    offs = np.arange(len(ee)) - np.repeat(np.cumsum(reps) - reps, reps)
    bb = a["first_block"][c.a["e_sess"][ee]] + offs
    u, s = c.a["e_user"][ee], c.a["e_sess"][ee]
    span = (a["s_end"] - a["s_start"])[s]
    opens = a["s_start"][s] + (a["b_frac"][bb] - 1 / np.maximum(n_blocks[s], 1)) * span
    reach = rng.random(len(ee)) < c.a["engagement"][u] * (0.93 ** (a["b_pos"][bb] - 1))
    skipped = pd.Series(~reach).groupby(ee).cummax().to_numpy()
    last_login = c.a["last_login"][u]
    last_seen = np.where(np.isnan(last_login), now, last_login)
    reached = reach & ~skipped & (opens < now) & (opens < last_seen)
    t0 = np.maximum(opens, a["s_start"][s]) + rng.uniform(0, 6, len(ee)) * DAY
    t0 = np.floor(np.maximum(np.minimum(t0, last_seen - 1800), a["s_start"][s]))
    # scores skewed high with a spread
    score = np.clip(rng.beta(5.2, 1.5, len(ee)) * 100 + rng.normal(0, 4, len(ee)), 0, 100)
    return {"ee": ee, "bb": bb, "u": u, "s": s, "opens": opens, "reached": reached, "kind": a["b_kind"][bb],
            "t0": t0, "score": score}


def _course_attempts(w: World, c: Cohort, x: dict) -> None:
    """One to three attempts per reached course block; the last one decides."""
    rng, now, a = c.rng, w.now, w.a
    ci = np.flatnonzero(x["reached"] & (x["kind"] == "course"))
    n_att = 1 + (rng.random(len(ci)) < 0.16) + (rng.random(len(ci)) < 0.04)
    ai = np.repeat(ci, n_att)
    att_no = np.arange(len(ai)) - np.repeat(np.cumsum(n_att) - n_att, n_att) + 1
    is_last = att_no == np.repeat(n_att, n_att)
    start = np.minimum(x["t0"][ai] + (att_no - 1) * rng.uniform(1, 5, len(ai)) * DAY, now - 600)
    time_s = np.round(rng.lognormal(7.0, 0.6, len(ai)))
    completed = np.where(is_last, rng.random(len(ai)) < 0.86, rng.random(len(ai)) < 0.35)
    last_act = np.minimum(start + time_s * rng.uniform(1.2, 6, len(ai)), now - 60)
    course_idx = a["b_course_idx"][x["bb"][ai]]
    sc = np.where(is_last, x["score"][ai], np.clip(x["score"][ai] - rng.uniform(5, 30, len(ai)), 0, 100))
    sc = np.where(a["course_has_questions"][course_idx], np.round(sc, 1), np.nan)
    progress = np.where(completed, 100.0, np.round(rng.uniform(5, 95, len(ai))))
    c.tables["course_attempts"] = pd.DataFrame({
        "attempt_id": c.next_ids("t", len(ai)), "user_id": c.a["ids"][x["u"][ai]],
        "course_id": a["course_ids"][course_idx], "session_id": a["session_ids"][x["s"][ai]],
        "attempt_no": att_no, "started_at": ts(start), "last_activity_at": ts(last_act),
        "completed_at": ts(np.where(completed, last_act, np.nan)), "progress_pct": num(progress, 0),
        "score_pct": num(sc), "time_spent_s": time_s.astype("int64"),
        "language": LANGS[rng.integers(0, len(LANGS), len(ai))]})
    x.update(ai=ai, start=start, last_act=last_act, course_idx=course_idx)


def _free_attempts(w: World, c: Cohort, x: dict) -> None:
    """A few courses played outside any program."""
    rng, now, a = c.rng, w.now, w.a
    free_u = rng.choice(c.m, size=max(1, c.m // 20), replace=False)
    free_u = free_u[~c.a["never"][free_u]]
    fc = rng.integers(0, len(a["course_ids"]), len(free_u))
    fstart = np.maximum(np.minimum(c.a["last_login"][free_u] - 3600, now - 3600), c.a["registered"][free_u])
    ftime = np.round(rng.lognormal(6.5, 0.6, len(free_u)))
    fdone = rng.random(len(free_u)) < 0.6
    score = x["score"][:len(free_u)] if len(x["score"]) >= len(free_u) else 80.0
    free = pd.DataFrame({
        "attempt_id": c.next_ids("t", len(free_u)), "user_id": c.a["ids"][free_u],
        "course_id": a["course_ids"][fc], "session_id": "", "attempt_no": 1, "started_at": ts(fstart),
        "last_activity_at": ts(fstart + ftime), "completed_at": ts(np.where(fdone, fstart + ftime, np.nan)),
        "progress_pct": num(np.where(fdone, 100, 40), 0),
        "score_pct": num(np.where(a["course_has_questions"][fc], score, np.nan)),
        "time_spent_s": ftime.astype("int64"), "language": "en"})
    c.tables["course_attempts"] = pd.concat([c.tables["course_attempts"], free], ignore_index=True)


def _assessments(w: World, c: Cohort, x: dict) -> None:
    a = np.flatnonzero(x["reached"] & (x["kind"] == "assessment"))
    score = np.round(x["score"][a], 1)
    c.tables["assessment_results"] = pd.DataFrame({
        "user_id": c.a["ids"][x["u"][a]], "block_id": w.a["b_ids"][x["bb"][a]], "score_pct": num(score),
        "passed": np.where(score >= np.nan_to_num(w.a["b_pass"][x["bb"][a]], nan=60.0), "true", "false"),
        "submitted_at": ts(np.minimum(x["t0"][a] + 3600, w.now - 60))})


def _attendance(w: World, c: Cohort, x: dict) -> None:
    """Every slot of the classroom blocks whose slot has begun: attended when the block was reached."""
    cl = np.flatnonzero((x["kind"] == "classroom") & (x["opens"] < w.now))
    cl_slots = [w.a["slots_of_block"].get(b, []) for b in x["bb"][cl]]
    counts = np.array([len(s) for s in cl_slots], dtype=int)
    rep = np.repeat(cl, counts)
    sl = np.concatenate([np.array(s, dtype=int) for s in cl_slots if s]) if counts.sum() else np.array([], int)
    ok = w.a["slot_start"][sl] < w.now
    rep, sl = rep[ok], sl[ok]
    att = np.where(x["reached"][rep], c.rng.choice([100.0, 100.0, 100.0, 50.0], len(rep)), 0.0)
    c.tables["slot_attendance"] = pd.DataFrame({"slot_id": w.a["slot_ids"][sl], "user_id": c.a["ids"][x["u"][rep]],
                                                "attendance_pct": num(att, 0)})


def _views(w: World, c: Cohort, x: dict) -> None:
    """Two to five activity views per course attempt; the questions among them answered, some documents
    downloaded."""
    rng, a = c.rng, w.a
    ai, start, last_act = x["ai"], x["start"], x["last_act"]
    vi = np.repeat(np.arange(len(ai)), rng.integers(2, 6, len(ai)))
    pick = rng.integers(0, 10, len(vi))
    course = x["course_idx"][vi]
    v_act = a["act_first"][course] + pick % a["act_count"][course]
    v_at = np.floor(start[vi] + rng.uniform(0, 1, len(vi)) * np.maximum(last_act[vi] - start[vi], 60))
    users = c.a["ids"][x["u"][ai[vi]]]
    views = pd.DataFrame({"user_id": users, "activity_id": a["act_ids"][v_act], "started_at": v_at})
    views = views.drop_duplicates(["user_id", "activity_id", "started_at"])
    is_q = a["act_type"][v_act] == "question"
    score = np.clip(x["score"][ai[vi]][is_q] + rng.normal(0, 12, is_q.sum()), 0, 100)
    ans = pd.DataFrame({"user_id": users[is_q], "activity_id": a["act_ids"][v_act][is_q],
                        "session_id": a["session_ids"][x["s"][ai[vi]]][is_q], "score_pct": num(score, 0),
                        "answered_at": v_at[is_q] + 30}).drop_duplicates(["user_id", "activity_id", "answered_at"])
    ans["answered_at"] = ts(ans["answered_at"].to_numpy())
    c.tables["answers"] = ans
    is_doc = ~is_q & (rng.random(len(vi)) < 0.12)
    dls = pd.DataFrame({"user_id": users[is_doc], "activity_id": a["act_ids"][v_act][is_doc],
                        "at": v_at[is_doc] + 45}).drop_duplicates(["user_id", "activity_id", "at"])
    dls["at"] = ts(dls["at"].to_numpy())
    c.tables["downloads"] = dls
    views["started_at"] = ts(views["started_at"].to_numpy())
    c.tables["activity_views"] = views
    c.a["reaction_pool"] = (users, a["act_ids"][v_act], v_at)


def _certificates(w: World, c: Cohort, x: dict) -> None:
    """Learners who completed every block of a finished session."""
    rng, now, a = c.rng, w.now, w.a
    done = pd.DataFrame({"e": x["ee"], "ok": x["reached"] & np.isin(x["kind"], ["assessment", "classroom",
                                                                                  "course"])})
    complete = done.groupby("e")["ok"].all()
    ce = complete.index[complete.to_numpy()].to_numpy()
    sess = c.a["e_sess"][ce]
    ce, sess = ce[a["s_end"][sess] < now], sess[a["s_end"][sess] < now]
    delivered = a["s_end"][sess] - rng.uniform(0, 5, len(ce)) * DAY
    life = rng.choice([365.0, 730.0, np.nan], len(ce), p=[0.5, 0.3, 0.2])
    prog = a["s_prog"][sess]
    is_path = a["program_kind"][prog] == "path"
    c.tables["certificates"] = pd.DataFrame({
        "certificate_id": c.next_ids("cert", len(ce)), "user_id": c.a["ids"][c.a["e_user"][ce]],
        "name": np.char.add(np.array(PROGRAMS + PATHS, dtype=str)[prog], " certificate").astype(object),
        "session_id": np.where(is_path, "", a["session_ids"][sess]),
        "program_id": np.where(is_path, a["program_ids"][prog], ""),
        "delivered_at": ts(delivered), "expires_at": ts(delivered + life * DAY)})
