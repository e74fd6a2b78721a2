"""The bundle rules that span rows, files or chunks (bundle-format.md): unique keys and emails, one root and
no cycle in the group tree, block kinds, and the per-row rules that join columns. A Checker follows the files
of one import in bundle order, a chunk at a time (bundle_check.chunks); its rule problems come after every cell
problem, as they did when files were read whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from data_access.bundle_check import CHUNK_ROWS, convert_column, fmt, read_frames, repeated, row_hashes
from data_access.bundle_reader import Problems, Stored
from data_access.bundle_spec import BY_NAME, FileSpec


class Checker:
    def __init__(self, stored: Stored, ids: dict[str, pd.Index], problems: Problems):
        self.stored, self.ids, self.problems = stored, ids, problems
        self.rules = Problems()  # reported after the cell problems
        self.kinds = dict(stored.block_kinds)
        self.groups: list[pd.DataFrame] = []
        self.key_hashes: list[np.ndarray] = []
        self.email_hashes: list[np.ndarray] = []

    @property
    def ok(self) -> bool:
        return not self.problems.total and not self.rules.total

    def convert(self, spec: FileSpec, raw: pd.DataFrame) -> pd.DataFrame:
        """The chunk's typed columns (timestamps as epoch seconds); its problems added."""
        typed = pd.DataFrame(index=raw.index)
        for col in spec.cols:
            typed[col.name] = convert_column(spec, raw, col, self.ids, self.problems)
        self.key_hashes.append(row_hashes(raw[list(spec.key)]))
        self._chunk_rules(spec, raw)
        return typed

    def finish(self, spec: FileSpec, path: Path) -> None:
        """After the file's last chunk: duplicate keys, and the groups' tree or the users' emails."""
        _duplicate_keys(spec, path, repeated(self.key_hashes), self.problems)
        if spec.name == "groups" and self.groups:
            _check_group_tree(pd.concat(self.groups, ignore_index=True), self.stored, self.rules)
            self.groups.clear()
        if spec.name == "users":
            _check_emails(spec, path, repeated(self.email_hashes), self.stored, self.rules)

    def close(self) -> None:
        self.problems.extend(self.rules)
        self.rules = Problems()

    def _chunk_rules(self, spec: FileSpec, raw: pd.DataFrame) -> None:
        name, rules = spec.name, self.rules
        if name == "groups":
            self.groups.append(raw[["group_id", "parent_id"]])
        elif name == "users":
            lower = raw["email"].str.strip().str.lower()
            self.email_hashes.append(row_hashes(lower[lower != ""].to_frame()))
        elif name == "blocks":
            is_course = (raw["kind"] == "course").to_numpy()
            has_course = (raw["course_id"] != "").to_numpy()
            rules.add_mask(spec, raw, is_course & ~has_course, "course_id", "required for a block of kind course")
            rules.add_mask(spec, raw, ~is_course & has_course & (raw["kind"] != "").to_numpy(), "course_id",
                           lambda v: "must be empty for a block that is not of kind course")
            self.kinds.update(zip(raw["block_id"], raw["kind"], strict=True))
        elif name in ("classroom_slots", "assessment_results"):
            want = "classroom" if name == "classroom_slots" else "assessment"
            actual = raw["block_id"].map(self.kinds)
            wrong = (actual.notna() & (actual != want)).to_numpy()
            rules.add_mask(spec, raw, wrong, "block_id",
                           lambda v, w=want: f"block {fmt(v)} is of kind {self.kinds.get(v)}, expected {w}")
        elif name == "reactions":
            a = (raw["activity_id"] != "").to_numpy()
            p = (raw["post_id"] != "").to_numpy()
            rules.add_mask(spec, raw, a == p, "activity_id", "exactly one of activity_id and post_id must be set")


def _candidates(spec: FileSpec, path: Path, cols: list[str], hashes: np.ndarray, key=None):
    """(position, values) of the file's rows whose hash of `cols` (through key, a function of the chunk's
    columns) is one of `hashes`, in file order: the second read that names the lines of repeated values."""
    for df in read_frames(path, spec, Problems(), CHUNK_ROWS, cols):
        if df is None:
            return
        values = key(df) if key else df[cols]
        hit = np.isin(row_hashes(values), hashes)
        yield from zip(df.index[hit], values[hit].itertuples(index=False, name=None), strict=True)


def _duplicate_keys(spec: FileSpec, path: Path, hashes: np.ndarray, problems: Problems) -> None:
    if not len(hashes):
        return
    key = list(spec.key)
    label = spec.id_col or f"({', '.join(key)})"
    first_line: dict[tuple, int] = {}
    for pos, k in _candidates(spec, path, key, hashes):
        if k not in first_line:
            first_line[k] = int(pos) + 2
            continue
        shown = k[0] if len(k) == 1 else k
        problems.add(spec.filename, int(pos) + 2, spec.id_col or None,
                     f"duplicate {label} {shown!r}: already on line {first_line[k]}")


def _check_emails(spec: FileSpec, path: Path, hashes: np.ndarray, stored: Stored, problems: Problems) -> None:
    """Emails are unique (case and surrounding spaces ignored) in the file and against the stored users."""
    if not len(hashes) and not stored.user_emails:
        return
    first_line: dict[str, int] = {}
    clashes = []
    for df in read_frames(path, spec, Problems(), CHUNK_ROWS, ["user_id", "email"]):
        if df is None:
            return
        lower = df["email"].str.strip().str.lower()
        hit = np.isin(row_hashes(lower.to_frame()), hashes) & (lower != "").to_numpy()
        dup = np.zeros(len(df), dtype=bool)
        for i in np.flatnonzero(hit):
            e = lower.iat[i]
            if e in first_line:
                dup[i] = True
                problems.add(spec.filename, int(df.index[i]) + 2, "email",
                             f"email {fmt(df['email'].iat[i])} already used on line {first_line[e]}")
            else:
                first_line[e] = int(df.index[i]) + 2
        if stored.user_emails:
            owner = lower.map(stored.user_emails)
            clash = (owner.notna() & (owner != df["user_id"])).to_numpy() & ~dup
            clashes += [(int(df.index[i]) + 2, df["email"].iat[i]) for i in np.flatnonzero(clash)]
    for line, v in clashes:
        problems.add(spec.filename, line, "email", f"email {fmt(v)} already belongs to stored user "
                                                   f"{stored.user_emails[v.strip().lower()]!r}")


def _check_group_tree(raw: pd.DataFrame, stored: Stored, problems: Problems) -> None:
    spec = BY_NAME["groups"]
    parents = dict(stored.group_parents)
    line_of = {}
    for pos, (gid, parent) in enumerate(zip(raw["group_id"], raw["parent_id"], strict=True)):
        parents[gid] = parent or None
        line_of.setdefault(gid, pos + 2)
    roots = [g for g, p in parents.items() if p is None]
    if len(roots) == 0:
        problems.add(spec.filename, None, "parent_id", "no root group: exactly one group must have an empty parent_id")
    elif len(roots) > 1:
        # report every root after the first (stored ones first, then in bundle order)
        ordered = sorted(roots, key=lambda g: (g in line_of, line_of.get(g, 0)))
        for g in ordered[1:]:
            others = ", ".join(repr(r) for r in ordered if r != g)
            problems.add(spec.filename, line_of.get(g), "parent_id",
                         f"second root group {g!r}: only one group may have an empty parent_id (also {others})")
    # cycles: walk up from every group; a walk that revisits a node without reaching a root loops
    state: dict[str, int] = {}  # 1 = on a path being walked, 2 = known good
    reported: set[str] = set()
    for start in parents:
        path = []
        node = start
        while node is not None and state.get(node) != 2:
            if state.get(node) == 1:
                cycle = path[path.index(node):]
                key = min(cycle)
                if key not in reported:
                    reported.add(key)
                    first = min(cycle, key=lambda g: line_of.get(g, 10**9))
                    chain = " → ".join(repr(g) for g in cycle + [cycle[0]])
                    problems.add(spec.filename, line_of.get(first), "parent_id", f"group cycle: {chain}")
                break
            state[node] = 1
            path.append(node)
            node = parents.get(node)
        for g in path:
            state[g] = 2
