"""Locust clients for `make load` (bench/load.py writes the plan this file reads, LOAD_PLAN=path.json).

Each simulated client signs in with its own one-time link as one viewer of the plan (the platform owner, a
division admin, a coach, an instructor), then, with no think time, posts that viewer's callbacks in turn:
the Overview, a cohort on Participants, a session's KPIs and individual results, the users list, a user
page, a group page, the collaborative users: each call inside the viewer's own scope, with its targets.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, constant, events, task

_PLAN: dict = {}
_NEXT = itertools.count()


@events.init.add_listener
def _load_plan(environment, **_kwargs) -> None:
    with open(os.environ["LOAD_PLAN"], encoding="utf-8") as f:
        _PLAN.update(json.load(f))


class Viewer(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        n = next(_NEXT)
        clients = _PLAN["clients"]
        me = clients[n % len(clients)]
        self.viewer = me["viewer"]
        self.calls = me["calls"]
        token = me["tokens"][n // len(clients)]
        # each client signs in from an address of its own, as a local proxy would pass it (the app trusts
        # X-Forwarded-For from 127.0.0.1): sign-in links are limited per address
        address = f"10.{_PLAN.get('network', 1)}.{n // 250}.{n % 250 + 1}"
        with self.client.get(f"/login/token/{token}", name="sign in", allow_redirects=False,
                             headers={"X-Forwarded-For": address}, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")
        random.Random(n).shuffle(self.calls)
        self.turn = itertools.cycle(self.calls)

    @task
    def callback(self) -> None:
        call = next(self.turn)
        with self.client.post("/_dash-update-component", data=call["body"], name=call["name"],
                              headers={"Content-Type": "application/json"}, catch_response=True) as response:
            if response.status_code not in (200, 204):
                response.failure(f"{response.status_code}")
            elif b"could not be loaded" in (response.content or b""):
                response.failure("data unavailable")
