"""Malformed input never answers 500: every server callback of `app.callback_map` (found by iterating it, so a
callback added later is swept too) gets a table of malformed values in each of its inputs and states in turn,
the others holding plausible values harvested from the pages' own layouts, as the owner, a coach, an instructor
and a learner; every download route gets malformed query values. No answer may be a 500 or hold traceback text.

Runs on SQLite only: the sweep checks how callbacks treat what they receive (the same code on both databases),
and several thousand requests against PostgreSQL would take minutes. The grid and limit validations it relies
on have their own tests below, which run on both databases.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from types import SimpleNamespace

import dash
import pytest
from werkzeug.datastructures import MultiDict

from callbacks.grids import MAX_ROWS, grid_request
from dashboard.core.downloads import LIST_OPTIONS, TEXT_OPTIONS, options_from
from dashboard.core.settings import Settings
from dashboard.factory import create_app
from dashboard.request_guard import json_depth
from data_access import db
from data_access.exports import REPORTS, get_writer
from data_access.importer import import_bundle
from data_access.queries.participants import validate_limits
from data_access.scope import Scope
from tests import fixture_bundle
from tests.signing import signed_in_client

NOW = fixture_bundle.NOW
ROLES = {"owner": None, "coach": "cora@example.com", "instructor": "ivo@example.com", "learner": "lea@example.com"}
GRID_REQUEST = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
# what a page's path template names, in the fixture bundle
PATH_IDS = {"session_id": "s1", "program_id": "p1", "group_id": "g1", "course_id": "c1", "user_id": "u3"}
# plausible values of properties a layout does not set (what the browser sends once a person acts)
PROPERTY_DEFAULTS = {"getRowsRequest": GRID_REQUEST, "n_clicks": 1, "search_value": "a",
                     "cellClicked": {"rowId": "u3", "colId": "name", "value": "x"},
                     "selectedData": {"points": [{"x": "0–1"}]}, "clickData": {"points": [{"x": "a", "y": 1}]}}
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+|Werkzeug Debugger")


class Raw:
    """A value sent as this JSON text: nesting 600 deep is built as text, since encoding it from Python objects
    under pytest's own stack would hit the recursion limit in the test rather than in the server."""

    def __init__(self, text: str):
        self.text = text

    def value(self):
        return json.loads(self.text)


def _deep(depth: int, opening: str, closing: str) -> Raw:
    return Raw(opening * depth + '"x"' + closing * depth)


def dumps(body) -> str:
    """JSON text of a request body, NaN and Infinity included (Dash's JSON accepts them), Raw values spliced in."""
    raws: dict[str, Raw] = {}

    def mark(value):
        if isinstance(value, Raw):
            raws[f"@@raw{id(value)}@@"] = value
            return f"@@raw{id(value)}@@"
        raise TypeError(type(value))

    text = json.dumps(body, default=mark)
    for marker, raw in raws.items():
        text = text.replace(json.dumps(marker), raw.text)
    return text


MALFORMED = {
    "None": None, "empty string": "", "10,000 characters": "x" * 10000, "NUL": "s1\x00", "-1": -1, "0": 0,
    "1e30": 1e30, "10**19": 10**19, "-10**19": -(10**19), "NaN": math.nan, "Infinity": math.inf,
    "-Infinity": -math.inf, "True": True, "[]": [], "[1]": [1], '["x"]': ["x"], "{}": {}, '{"a": 1}': {"a": 1},
    "600-deep dict": _deep(600, '{"a": ', "}"), "600-deep list": _deep(600, "[", "]"),
}


def _conditions(depth: int) -> Raw:
    """A filter model whose first condition is itself a filter model, `depth` times over."""
    plain = '{"filterType": "text", "type": "contains", "filter": "a"}'
    text = plain
    for _ in range(depth):
        text = f'{{"filterType": "text", "operator": "AND", "conditions": [{text}, {plain}]}}'
    return Raw(text)


# an AG Grid getRowsRequest also gets these (the grid's own shape, with a wrong part)
MALFORMED_GRID = {
    f"{name} {part}": {**GRID_REQUEST, part: value}
    for part in ("startRow", "endRow")
    for name, value in (("null", None), ("1e30", 1e30), ("10**19", 10**19), ("string", "x"), ("NaN", math.nan),
                        ("-1", -1), ("list", [0]))
} | {
    "endRow 10**9": {**GRID_REQUEST, "endRow": 10**9}, "start after end": {**GRID_REQUEST, "startRow": 500},
    'filterModel ["x"]': {**GRID_REQUEST, "filterModel": ["x"]},
    'sortModel ["score"]': {**GRID_REQUEST, "sortModel": ["score"]},
    "sortModel of a dict": {**GRID_REQUEST, "sortModel": {"colId": "email"}},
    "unknown sort column": {**GRID_REQUEST, "sortModel": [{"colId": "x" * 10000, "sort": "asc"}]},
    "filter of a list": {**GRID_REQUEST, "filterModel": {"email": ["x"]}},
    "filter with a dict value": {**GRID_REQUEST, "filterModel": {
        "email": {"filterType": "text", "type": "contains", "filter": {"a": 1}}}},
    "number filter NaN": {**GRID_REQUEST, "filterModel": {
        "email": {"filterType": "number", "type": "equals", "filter": math.nan}}},
    "600-deep conditions": Raw('{"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {"email": '
                               + _conditions(600).text + "}}"),
    "conditions of a string": {**GRID_REQUEST, "filterModel": {"email": {"filterType": "text",
                                                                         "conditions": "x"}}},
}


# the owner gets every value; the other roles one value of each kind, which keeps the sweep under a minute (their
# answers differ from the owner's by scope, not by how a value is read)
SHORT = {"None", "10,000 characters", "10**19", "NaN", "[1]", '{"a": 1}', "600-deep list",
         "null startRow", "string startRow", "1e30 endRow", "endRow 10**9", 'filterModel ["x"]', 'sortModel ["score"]',
         "600-deep conditions", "empty", "NUL", "bad date"}


def _for_role(values: dict, role: str) -> dict:
    return values if role == "owner" else {name: v for name, v in values.items() if name in SHORT}


@pytest.fixture(scope="module")
def app(tmp_path_factory, sqlite_template):
    folder = tmp_path_factory.mktemp("malformed")
    shutil.copyfile(sqlite_template, folder / "test.sqlite3")
    engine = db.make_engine(f"sqlite:///{folder / 'test.sqlite3'}")
    import_bundle(engine, fixture_bundle.write(folder / "bundle"))
    engine.dispose()
    app = create_app(Settings.from_env(env={}, database_url=f"sqlite:///{folder / 'test.sqlite3'}",
                                       now_override=NOW, seed_demo_on_empty=False, data_dir=folder))
    signed_in_client(app).get("/")  # the first request registers the pages router callback
    return app


def _components(node, out: dict) -> None:
    """Every component's props in a layout (as JSON), by "id.property"; the first one seen is kept."""
    if isinstance(node, dict):
        props = node.get("props")
        if "namespace" in node and isinstance(props, dict):
            ident = props.get("id")
            if isinstance(ident, str):
                for name, value in props.items():
                    out.setdefault(f"{ident}.{name}", value)
        for value in node.values():
            _components(value, out)
    elif isinstance(node, list):
        for value in node:
            _components(value, out)


def _page_paths() -> list[str]:
    paths = []
    for page in dash.page_registry.values():
        template = page.get("path_template") or page["path"]
        paths.append(re.sub(r"<(\w+)>", lambda m: PATH_IDS.get(m.group(1), "x"), template))
    return paths


@pytest.fixture(scope="module")
def plausible(app) -> dict:
    """Property values as the owner's pages set them (the shell's layout and every page's)."""
    owner = signed_in_client(app)
    values: dict = {}
    _components(json.loads(owner.get("/_dash-layout").get_data(as_text=True)), values)
    for path in _page_paths():
        body = owner.post("/_dash-update-component", data=json.dumps(_payload(app, _router_key(app), {
            "_pages_location.pathname": path, "_pages_location.search": ""})), content_type="application/json")
        _components(json.loads(body.get_data(as_text=True)), values)
    return values


def _router_key(app) -> str:
    return next(k for k in app.callback_map if "_pages_content" in k)


def _payload(app, key: str, values: dict, changed: list[str] | None = None) -> dict:
    """The body the browser posts for the callback `key`, each input and state set from `values`."""
    spec = app.callback_map[key]
    multi = key.startswith("..")
    outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
               for o in (key[2:-2].split("...") if multi else [key])]

    def items(specs):
        return [{"id": s["id"], "property": s["property"], "value": values.get(f"{s['id']}.{s['property']}")}
                for s in specs]

    inputs = items(spec["inputs"])
    return {"output": key, "outputs": outputs if multi else outputs[0], "inputs": inputs,
            "state": items(spec.get("state", [])),
            "changedPropIds": changed or [f"{i['id']}.{i['property']}" for i in inputs]}


def server_callbacks(app) -> list[str]:
    """Every callback the server runs (clientside ones have no Python function)."""
    return [key for key, spec in app.callback_map.items() if spec.get("callback") is not None]


def _arguments(spec) -> list[str]:
    return [f"{s['id']}.{s['property']}" for s in spec["inputs"] + spec.get("state", [])]


def _values_for(argument: str) -> dict:
    return MALFORMED | (MALFORMED_GRID if argument.endswith(".getRowsRequest") else {})


def _bad(response) -> str | None:
    text = response.get_data(as_text=True)
    if response.status_code >= 500:
        return f"{response.status_code}"
    if TRACEBACK.search(text):
        return f"traceback text: {' '.join(text[:200].split())}"
    return None


def test_the_sweep_finds_every_server_callback(app, plausible):
    keys = server_callbacks(app)
    assert len(keys) >= 50 and _router_key(app) in keys
    # the harvest gives most arguments a value of their own page (the rest are None, as before a person acts)
    arguments = {a for key in keys for a in _arguments(app.callback_map[key])}
    known = {a for a in arguments if a in plausible or a.rsplit(".", 1)[1] in PROPERTY_DEFAULTS}
    assert len(known) >= 0.7 * len(arguments), sorted(arguments - known)


@pytest.mark.parametrize("role", list(ROLES))
def test_no_callback_answers_500_to_malformed_input(app, plausible, role):
    client = signed_in_client(app, ROLES[role])
    failures = []
    for key in server_callbacks(app):
        arguments = _arguments(app.callback_map[key])
        base = {a: plausible.get(a, PROPERTY_DEFAULTS.get(a.rsplit(".", 1)[1])) for a in arguments}
        triggers = [f"{i['id']}.{i['property']}" for i in app.callback_map[key]["inputs"]]
        for argument in arguments:
            changed = [argument] if argument in triggers else triggers[:1]
            for name, value in _for_role(_values_for(argument), role).items():
                body = _payload(app, key, {**base, argument: value}, changed)
                response = client.post("/_dash-update-component", data=dumps(body),
                                       content_type="application/json")
                problem = _bad(response)
                if problem:
                    failures.append(f"{key[:80]} | {argument} = {name}: {problem}")
    assert not failures, f"{len(failures)} malformed inputs broke a callback:\n" + "\n".join(failures[:300])


DOWNLOAD_BASE = {"session": "s1", "program": "p1", "group": "g1", "user": "u3", "course": "c1",
                 "activity": "a1", "action": "views", "bucket": "0–1", "since": "2026-01-01",
                 "until": "2026-06-30", "status": "all", "deleted": "1"}
MALFORMED_QUERY = {"empty": "", "10,000 characters": "x" * 10000, "NUL": "s1\x00", "-1": "-1", "1e30": "1e30",
                   "10**19": str(10**19), "NaN": "NaN", "Infinity": "Infinity", "[]": "[]", "{}": "{}",
                   "bad date": "2026-13-45", "year 99999": "99999-01-01", "unicode": "é\u202e😀", "percent": "%"}


class _Recording(SimpleNamespace):
    """Export options that note which of them a report reads."""

    def __getattribute__(self, name):
        if not name.startswith("_"):
            object.__getattribute__(self, "_read").add(name)
        return object.__getattribute__(self, name)


def options_read(app, report: str) -> list[str]:
    """The query options a report's writer reads (found by running it as the owner with plausible options), so
    that the sweep spends its requests where a value can matter."""
    svc = app.server.extensions["learnpulse"]
    options = _Recording(**vars(options_from(MultiDict(DOWNLOAD_BASE))), _read=set())
    with svc.engine.connect() as conn:
        try:
            for _ in get_writer(report)(conn, Scope.owner(), NOW, svc.settings, options):
                pass
        except (LookupError, ValueError):
            pass
    return sorted(object.__getattribute__(options, "_read"))


@pytest.mark.parametrize("role", list(ROLES))
def test_no_download_answers_500_to_malformed_query_values(app, role):
    client = signed_in_client(app, ROLES[role])
    assert set(DOWNLOAD_BASE) == {*LIST_OPTIONS, *TEXT_OPTIONS, "status", "deleted"}, \
        "give each new download option a plausible value here"
    failures = []
    for report in sorted(REPORTS):
        for option in options_read(app, report):
            for name, value in _for_role(MALFORMED_QUERY, role).items():
                response = client.get(f"/download/{report}.csv", query_string={**DOWNLOAD_BASE, option: value})
                problem = _bad(response)
                if problem:
                    failures.append(f"{report} {option} = {name}: {problem}")
        # every option malformed at once, and an option repeated a thousand times
        for query in ({option: "x" * 10000 for option in DOWNLOAD_BASE}, [("session", "s1")] * 1000):
            response = client.get(f"/download/{report}.csv", query_string=query)
            if _bad(response):
                failures.append(f"{report} {str(query)[:40]}: {_bad(response)}")
    assert not failures, f"{len(failures)} malformed queries broke a download:\n" + "\n".join(failures[:300])


def test_the_download_sweep_knows_what_each_report_reads(app):
    assert options_read(app, "session") == ["session"]
    assert {"since", "until", "group"} <= set(options_read(app, "general-stats"))


# --- the two validations the callbacks share ---------------------------------------------------------------

@pytest.mark.parametrize("name", [n for n, v in (MALFORMED_GRID | MALFORMED).items() if not isinstance(v, Raw)])
def test_a_grid_request_is_read_whole_or_not_at_all(name):
    """grid_request gives a usable row range of at most MAX_ROWS rows and lists/dicts of the right shape, or
    ValueError; never anything that fails later. (Deep nesting is refused before parsing: the next test.)"""
    value = (MALFORMED_GRID | MALFORMED)[name]
    try:
        asked = grid_request(value)
    except ValueError:
        return
    assert isinstance(asked["start"], int) and isinstance(asked["end"], int)
    assert 0 <= asked["start"] <= asked["end"] <= asked["start"] + MAX_ROWS
    assert isinstance(asked["sort_model"], list) and all(isinstance(i, dict) for i in asked["sort_model"])
    assert isinstance(asked["filter_model"], dict)


def test_deeply_nested_requests_are_refused_before_parsing(app):
    client = signed_in_client(app)
    key = next(k for k in server_callbacks(app) if k.startswith("participants-grid.getRowsResponse"))
    for raw in (MALFORMED_GRID["600-deep conditions"], MALFORMED["600-deep dict"], MALFORMED["600-deep list"]):
        body = _payload(app, key, {"participants-grid.getRowsRequest": raw, "participants-selected.data": ["Never"],
                                   "participants-cohort.value": "s1"})
        response = client.post("/_dash-update-component", data=dumps(body), content_type="application/json")
        assert response.status_code == 400
        assert response.get_json() == {"message": "The request nests deeper than 100 levels."}
    assert json_depth(b'{"a": [1, {"b": "[[[{{{"}], "c": "\\"]]"}') == 3


def test_a_grid_request_returns_at_most_1000_rows():
    assert grid_request({**GRID_REQUEST, "endRow": 10**9}) == {
        "sort_model": [], "filter_model": {}, "start": 0, "end": 1000}
    assert grid_request({**GRID_REQUEST, "startRow": 200, "endRow": 300})["end"] == 300
    assert grid_request(None) == {"sort_model": [], "filter_model": {}, "start": 0, "end": 100}


@pytest.mark.parametrize("green,yellow", [
    (math.nan, 9), (3, math.nan), (math.inf, 9), (3, math.inf), (float("1e400"), 9), (-math.inf, 9), ([1], 9),
    ({}, 9), ("3", 9), (True, 9), (10**19, 10**19), (3.5, 9), ("x" * 10000, 9), (None, 9),
])
def test_cohort_limits_refuse_what_is_not_a_whole_number_of_days(green, yellow):
    assert validate_limits(green, yellow)


def test_nul_in_a_query_value_is_refused_on_both_databases(engine, tmp_path):
    """PostgreSQL refuses NUL in text, so a report asked with one failed as if the database were down (503)."""
    import_bundle(engine, fixture_bundle.write(tmp_path / "bundle"))
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(Settings.from_env(env={}, database_url=url, now_override=NOW, seed_demo_on_empty=False,
                                       data_dir=tmp_path))
    owner = signed_in_client(app)
    assert owner.get("/download/session.csv?session=s1").status_code == 200
    for query in ("session=s1%00", "session=s1&session=x%00", "session=s1&since=%00"):
        response = owner.get(f"/download/session.csv?{query}")
        assert (response.status_code, "A query value holds a NUL character." in response.get_data(as_text=True)) \
            == (400, True), query
    key = next(k for k in server_callbacks(app) if k.startswith("participants-grid.getRowsResponse"))
    request = {**GRID_REQUEST, "filterModel": {"email": {"filterType": "text", "type": "contains", "filter": "a\x00"}}}
    body = _payload(app, key, {"participants-grid.getRowsRequest": request, "participants-selected.data": ["Never"],
                               "participants-cohort.value": "s1"})
    response = owner.post("/_dash-update-component", data=dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert response.get_json()["response"]["participants-grid"]["getRowsResponse"] == {"rowData": [], "rowCount": 0}
