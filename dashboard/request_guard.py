"""Callback requests that no page sends are refused (400) before Dash runs them:
- nested deeper than MAX_JSON_DEPTH, checked before parsing: Python's JSON parser, and every encoder a value
  passes through later (the cache key, Dash's answer), recurse once per level and fail past about a thousand
  levels, which would answer 500;
- Dash's page router (the `_pages_location` inputs) given a path that is not text starting with "/", or a
  query string that is not text: Dash's own router callback fails on those.
Every other callback reads its inputs itself (callbacks.inputs, callbacks.grids)."""

from __future__ import annotations

import re

import flask
import numpy as np

CALLBACK_PATH = "/_dash-update-component"
# the deepest request a page sends is a component tree held as State (3 levels a component); 100 leaves room
MAX_JSON_DEPTH = 100
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def json_depth(data: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest, read without parsing it (no recursion)."""
    brackets = np.frombuffer(_NOT_BRACKET.sub(b"", _STRING.sub(b"", data)), dtype=np.uint8)
    if not brackets.size:
        return 0
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


ROUTER_ID = "_pages_location"
MAX_PATH = 2000


def _router_problem(body) -> str | None:
    """Why the page router's inputs of a callback request are unusable, or None."""
    if not isinstance(body, dict):
        return "The request is not a callback request."
    for item in [*(body.get("inputs") or []), *(body.get("state") or [])]:
        if not isinstance(item, dict) or item.get("id") != ROUTER_ID:
            continue
        value, prop = item.get("value"), item.get("property")
        if prop == "pathname" and not (isinstance(value, str) and value.startswith("/") and len(value) <= MAX_PATH):
            return "The page's path must be text starting with /."
        if prop in ("search", "hash") and not (value is None or isinstance(value, str) and len(value) <= MAX_PATH):
            return "The page's query string must be text."
    return None


def _refuse_unusable_requests():
    if flask.request.path != CALLBACK_PATH or flask.request.method != "POST":
        return None
    if json_depth(flask.request.get_data(cache=True)) > MAX_JSON_DEPTH:
        return flask.jsonify(message=f"The request nests deeper than {MAX_JSON_DEPTH} levels."), 400
    problem = _router_problem(flask.request.get_json(silent=True))
    if problem:
        return flask.jsonify(message=problem), 400
    return None


def register(server: flask.Flask) -> None:
    server.before_request(_refuse_unusable_requests)
