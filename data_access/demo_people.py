"""The demo's learners, one chunk at a time: their users rows, profile fields, team memberships, managers,
logins and session enrollments. A chunk draws from its own random stream, so a chunk's rows depend only on the
seed, the world and the chunk's place, and a million learners never sit in memory at once."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access import demo_common as dc
from data_access.demo_common import DAY, ts
from data_access.demo_world import World


@dataclass
class Cohort:
    """Learners start+1 … start+m of the world (arrays indexed 0 … m-1)."""

    start: int
    m: int
    rng: np.random.Generator
    serial: dict  # the next number of each generated id prefix (attempts, posts, certificates), across chunks
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    a: dict = field(default_factory=dict)

    def next_ids(self, prefix: str, count: int) -> np.ndarray:
        first = self.serial.get(prefix, 1)
        self.serial[prefix] = first + count
        return dc.ids(prefix, count, start=first)


def build_people(w: World, c: Cohort) -> None:
    _users(w, c)
    _profile(w, c)
    _logins(w, c)
    _enrollments(w, c)


def _users(w: World, c: Cohort) -> None:
    rng, m, now = c.rng, c.m, w.now
    uid = dc.ids("u", m, start=c.start + 1, width=w.width)
    first, last = dc.names(w.a["name_pairs"], np.arange(c.start + 1, c.start + m + 1))
    registered = now - rng.uniform(20, 900, m) * DAY
    admins = w.a["admin_ids"]
    invited = np.where(rng.random(m) < 0.7, admins[rng.integers(0, len(admins), m)], "")
    deleted = np.where(rng.random(m) < 0.03, now - rng.uniform(1, 200, m) * DAY, np.nan)
    deleted = np.maximum(deleted, registered + DAY)
    auto_del = np.where(np.isnan(deleted) & (rng.random(m) < 0.02), now + rng.uniform(5, 120, m) * DAY, np.nan)
    c.tables["users"] = pd.DataFrame({
        "user_id": uid, "first_name": first, "last_name": last,
        "email": dc.emails(first, last, np.arange(c.start + 1, c.start + m + 1)),
        "title": dc.TITLES[rng.integers(0, len(dc.TITLES), m)],
        "additional_info": np.where(rng.random(m) < 0.15, "Part-time", "").astype(object),
        "registered_at": ts(registered), "invited_by": invited, "deleted_at": ts(deleted),
        "auto_deletion_at": ts(auto_del)})
    c.a.update(ids=uid, registered=registered, deleted=deleted)


def _profile(w: World, c: Cohort) -> None:
    """Custom profile fields, one team each (learner role), and a manager: the coach of the team's region."""
    rng, m, uid = c.rng, c.m, c.a["ids"]
    c.tables["user_fields"] = pd.concat([
        pd.DataFrame({"user_id": uid, "field": "Location", "value": dc.LOCATIONS[rng.integers(0, 7, m)]}),
        pd.DataFrame({"user_id": uid, "field": "Contract", "value": dc.CONTRACTS[rng.integers(0, 5, m)]}),
        pd.DataFrame({"user_id": uid, "field": "Employee ID",
                      "value": np.char.add("E", (100000 + c.start + np.arange(m)).astype(str)).astype(object)}),
    ], ignore_index=True)
    team = rng.integers(0, len(w.a["team_ids"]), m)
    c.tables["memberships"] = pd.DataFrame({"user_id": uid, "group_id": w.a["team_ids"][team], "role": "learner"})
    has_mgr = rng.random(m) < 0.9
    c.tables["managers"] = pd.DataFrame({"user_id": uid[has_mgr],
                                         "manager_id": w.a["coach_ids"][w.a["team_region"][team[has_mgr]]]})
    c.a["team"] = team


def _logins(w: World, c: Cohort) -> None:
    """Engagement profiles: active, fading, lapsed, never."""
    rng, m, now = c.rng, c.m, w.now
    profile = rng.choice(4, size=m, p=[0.56, 0.2, 0.14, 0.1])
    engagement = np.choose(profile, [rng.uniform(0.75, 1.0, m), rng.uniform(0.45, 0.8, m),
                                     rng.uniform(0.1, 0.45, m), np.zeros(m)])
    last_days = np.choose(profile, [rng.exponential(2.2, m), rng.uniform(4, 30, m), rng.uniform(30, 240, m),
                                    np.zeros(m)])
    count = np.choose(profile, [rng.poisson(28, m) + 1, rng.poisson(10, m) + 1, rng.poisson(4, m) + 1,
                                np.zeros(m, dtype=int)])
    first_at, deleted = c.a["registered"], c.a["deleted"]
    last_at = now - last_days * DAY
    last_at = np.where(np.isnan(deleted), last_at, np.minimum(last_at, deleted - DAY))
    last_at = np.maximum(last_at, first_at + 3600)
    count = np.where(last_at > now, 0, count)
    user = np.repeat(np.arange(m), count)
    # the newest login is the last one; the others spread over the account's life, denser recently
    at = first_at[user] + rng.random(len(user)) ** 0.5 * (last_at - first_at)[user]
    is_last = np.r_[user[1:] != user[:-1], True] if len(user) else np.array([], bool)
    at[is_last] = last_at[user[is_last]]
    logins = pd.DataFrame({"user_id": c.a["ids"][user], "at": np.floor(at)}).drop_duplicates(["user_id", "at"])
    logins["at"] = ts(logins["at"].to_numpy())
    c.tables["logins"] = logins
    c.a.update(engagement=engagement, last_login=np.where(count > 0, last_at, np.nan), never=count == 0)


def _flagship(c: Cohort) -> np.ndarray:
    """The chunk's learners in the flagship cohort (session 1): every tenth in order of last login (most recent
    first, never last; ties in random order) from a random start, so the cohort spreads over recency as the
    platform does (a random tenth of a 300-learner demo, 30 learners, often holds nobody 8-14 days away)."""
    recency = np.where(c.a["never"], -np.inf, c.a["last_login"])
    order = np.lexsort((c.rng.random(c.m), -recency))
    return np.sort(order[int(c.rng.integers(0, 10))::10])


def _enrollments(w: World, c: Cohort) -> None:
    rng, m, now, a = c.rng, c.m, w.now, w.a
    ns = len(a["session_ids"])
    user = np.repeat(np.arange(m), np.minimum(rng.poisson(1.6, m) + 1, 5))
    sess = rng.integers(1, ns, len(user))
    flagship = _flagship(c)
    user = np.r_[user, flagship]
    sess = np.r_[sess, np.zeros(len(flagship), dtype=int)]
    df = pd.DataFrame({"u": user, "s": sess}).drop_duplicates().sort_values(["s", "u"], kind="stable")
    u, s = df["u"].to_numpy(), df["s"].to_numpy()
    k = len(u)
    waiting = rng.random(k) < 0.04
    source = rng.choice(np.array(["group", "assigned", "catalog"], dtype=object), k, p=[0.6, 0.27, 0.13])
    source[waiting] = "catalog"
    group = np.where(source == "group", a["team_ids"][c.a["team"][u]], "")
    assigned = np.minimum(a["s_start"][s] - rng.uniform(1, 30, k) * DAY, now - 3600)
    assigned = np.maximum(assigned, c.a["registered"][u] + 60)
    unassigned = np.where((rng.random(k) < 0.04) & ~waiting,
                          np.minimum(assigned + rng.uniform(2, 40, k) * DAY, now - 60), np.nan)
    c.tables["enrollments"] = pd.DataFrame({
        "session_id": a["session_ids"][s], "user_id": c.a["ids"][u],
        "status": np.where(waiting, "waiting_list", "registered"), "source": source, "group_id": group,
        "assigned_at": ts(assigned), "unassigned_at": ts(unassigned)})
    c.a.update(e_user=u, e_sess=s, e_active=~waiting)
