"""The demo's collaboration for one chunk of learners: posts, replies, reactions, and team leads (learners who
manage a few colleagues of their own team). The first chunk also carries the rows that make every rule of
metrics.md "Collaborative activity" show up even in a small demo (staff posts, archived replies, forum
comments in archived and deleted courses)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.bundle_spec import REACTION_KINDS
from data_access.demo_common import DAY, ts
from data_access.demo_people import Cohort
from data_access.demo_world import World

SPACES = np.array(["group", "session", "profile", "course", "learning_need", "project"], dtype=object)
REACTION_KEY = ["user_id", "created_at", "kind", "activity_id", "post_id"]


def build_collab(w: World, c: Cohort, rules_rng: np.random.Generator | None) -> None:
    top, created = _top_posts(w, c)
    _replies_and_reactions(w, c, top, created)
    if rules_rng is not None:
        _rules(w, c, rules_rng)
    _team_leads(c)
    for name in ("posts", "reactions"):
        col = "created_at"
        c.tables[name][col] = ts(c.tables[name][col].to_numpy(dtype="float64"))


def _top_posts(w: World, c: Cohort) -> tuple[pd.DataFrame, np.ndarray]:
    rng, now, a = c.rng, w.now, w.a
    active = np.flatnonzero(~c.a["never"])
    # a post per three learners (at least 10 in a small demo); none from a chunk where nobody ever logged in
    n_top = (max(10, c.m // 3) if c.start == 0 else c.m // 3) if len(active) else 0
    author = rng.choice(active, n_top)
    space = rng.choice(SPACES, n_top, p=[0.3, 0.25, 0.1, 0.25, 0.05, 0.05])
    ctx = np.empty(n_top, dtype=object)
    g, sp, pr, co = (space == k for k in ("group", "session", "profile", "course"))
    ctx[g] = a["team_ids"][c.a["team"][author[g]]]
    ctx[sp] = a["session_ids"][rng.integers(0, len(a["session_ids"]), sp.sum())]
    ctx[pr] = c.a["ids"][author[pr]]
    act = rng.integers(0, len(a["act_ids"]), n_top)
    ctx[co] = a["course_ids"][a["act_course"][act[co]]]
    other = ~(g | sp | pr | co)
    ctx[other] = np.char.add("need-", rng.integers(1, 40, other.sum()).astype(str)).astype(object)
    created = np.floor(np.minimum(c.a["last_login"][author], now - 60) - rng.uniform(0, 60, n_top) * DAY)
    created = np.maximum(created, c.a["registered"][author])
    top = pd.DataFrame({"post_id": c.next_ids("po", n_top), "user_id": c.a["ids"][author], "created_at": created,
                        "space": space, "context_id": ctx, "parent_id": "",
                        "activity_id": np.where(co, a["act_ids"][act], ""),
                        "archived": np.where(rng.random(n_top) < 0.05, "true", "false")})
    return top, created


def _replies_and_reactions(w: World, c: Cohort, top: pd.DataFrame, created: np.ndarray) -> None:
    """Replies to the top posts; reactions on viewed activities and likes on posts."""
    rng, now = c.rng, w.now
    active = np.flatnonzero(~c.a["never"])
    n_top = len(top)
    n_rep = int(n_top * 0.8)
    parent = rng.integers(0, n_top, n_rep)
    rauthor = rng.choice(active, n_rep)
    rcreated = np.floor(np.minimum(created[parent] + rng.exponential(2, n_rep) * DAY, now - 30))
    replies = pd.DataFrame({"post_id": c.next_ids("po", n_rep), "user_id": c.a["ids"][rauthor],
                            "created_at": rcreated, "space": top["space"].to_numpy()[parent],
                            "context_id": top["context_id"].to_numpy()[parent],
                            "parent_id": top["post_id"].to_numpy()[parent],
                            "activity_id": top["activity_id"].to_numpy()[parent], "archived": "false"})
    posts = pd.concat([top, replies], ignore_index=True)
    c.tables["posts"] = posts
    vu, va, vat = c.a["reaction_pool"]
    pick = rng.random(len(vu)) < 0.15
    kinds = rng.choice(np.array(REACTION_KINDS, dtype=object), pick.sum(), p=[0.35, 0.2, 0.05, 0.1, 0.2, 0.05, 0.05])
    on_acts = pd.DataFrame({"user_id": vu[pick], "created_at": vat[pick] + 90, "kind": kinds,
                            "activity_id": va[pick], "post_id": ""})
    liker = rng.choice(active, n_top)
    lp = rng.integers(0, len(posts), n_top)
    likes = pd.DataFrame({"user_id": c.a["ids"][liker],
                          "created_at": np.floor(np.minimum(np.r_[created, rcreated][lp] + 3600, now - 10)),
                          "kind": "like", "activity_id": "", "post_id": posts["post_id"].to_numpy()[lp]})
    c.tables["reactions"] = pd.concat([on_acts, likes], ignore_index=True).drop_duplicates(REACTION_KEY)


def _rules(w: World, c: Cohort, rng: np.random.Generator) -> None:
    """Coaches and admins posting, replying (some archived) and reacting (the Groups tab counts learners only),
    forum comments in every archived and deleted course (with and without an activity), and likes on those."""
    now, a, posts = w.now, w.a, c.tables["posts"]
    staff = np.r_[a["coach_ids"], a["admin_ids"][1:]]
    home = np.r_[a["region_ids"], a["division_ids"]]
    n_staff = len(staff)
    learner_top = posts.index[(posts["parent_id"] == "") & posts["space"].isin(["group", "session"])].to_numpy()
    parents = posts.loc[rng.choice(learner_top, n_staff), ["post_id", "space", "context_id"]]
    quiet = np.flatnonzero(a["course_status"] != "active")
    forum_acts = [a["act_first"][k] if a["act_count"][k] else -1 for k in quiet]
    n_forum = len(quiet)
    forum_users = c.a["ids"][rng.choice(np.flatnonzero(~c.a["never"]), max(1, 2 * n_forum))]
    extra = pd.concat([
        pd.DataFrame({"post_id": c.next_ids("po", n_staff), "user_id": staff,
                      "created_at": np.floor(now - rng.uniform(1, 90, n_staff) * DAY), "space": "group",
                      "context_id": home, "parent_id": "", "activity_id": "", "archived": "false"}),
        pd.DataFrame({"post_id": c.next_ids("po", n_staff), "user_id": staff,
                      "created_at": np.floor(now - rng.uniform(0.1, 1, n_staff) * DAY),
                      "space": parents["space"].to_numpy(), "context_id": parents["context_id"].to_numpy(),
                      "parent_id": parents["post_id"].to_numpy(), "activity_id": "",
                      "archived": np.where(np.arange(n_staff) % 3 == 0, "true", "false")}),
        pd.DataFrame({"post_id": c.next_ids("po", n_forum), "user_id": forum_users[:n_forum],
                      "created_at": np.floor(now - rng.uniform(1, 30, n_forum) * DAY), "space": "course",
                      "context_id": a["course_ids"][quiet], "parent_id": "", "archived": "false",
                      "activity_id": [a["act_ids"][i] if i >= 0 else "" for i in forum_acts]}),
        pd.DataFrame({"post_id": c.next_ids("po", n_forum), "user_id": forum_users[n_forum:2 * n_forum],
                      "created_at": np.floor(now - 0.5 * DAY), "space": "course",
                      "context_id": a["course_ids"][quiet], "parent_id": "", "activity_id": "", "archived": "true"}),
    ], ignore_index=True)
    c.tables["posts"] = pd.concat([posts, extra], ignore_index=True)
    kinds = np.array(REACTION_KINDS, dtype=object)
    liked = extra["post_id"].to_numpy()[2 * n_staff:]
    reactions = pd.concat([
        pd.DataFrame({"user_id": staff, "created_at": np.floor(now - rng.uniform(1, 60, n_staff) * DAY),
                      "kind": kinds[np.arange(n_staff) % len(kinds)],
                      "activity_id": a["act_ids"][rng.integers(0, len(a["act_ids"]), n_staff)], "post_id": ""}),
        pd.DataFrame({"user_id": a["coach_ids"][np.arange(len(liked)) % len(a["coach_ids"])],
                      "created_at": np.full(len(liked), float(now - 3600)), "kind": "like", "activity_id": "",
                      "post_id": liked}),
    ], ignore_index=True)
    c.tables["reactions"] = pd.concat([c.tables["reactions"], reactions], ignore_index=True).drop_duplicates(
        REACTION_KEY)


def _team_leads(c: Cohort) -> None:
    """Learners who manage 3 to 8 colleagues of their own team, so the Users page has managers at two levels."""
    rng, m, team = c.rng, c.m, c.a["team"]
    current = np.flatnonzero(np.isnan(c.a["deleted"]))
    leads = rng.choice(current, size=min(len(current), max(3, m // 70)), replace=False)
    by_team = pd.Series(np.arange(m)).groupby(team).apply(np.array).to_dict()
    rows = []
    for lead in leads:
        mates = by_team[team[lead]]
        mates = mates[mates != lead]
        if len(mates):
            for mate in rng.choice(mates, size=min(len(mates), int(rng.integers(3, 9))), replace=False):
                rows.append((c.a["ids"][mate], c.a["ids"][lead]))
    extra = pd.DataFrame(rows, columns=["user_id", "manager_id"])
    c.tables["managers"] = pd.concat([c.tables["managers"], extra], ignore_index=True).drop_duplicates(
        ["user_id", "manager_id"])
