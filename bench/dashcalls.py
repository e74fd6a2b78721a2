"""Helpers for benchmarks that call a Dash app's callbacks the way the browser does."""

from __future__ import annotations

import json
import statistics
import time

WARM_RUNS = 20


def _callback_key(app, first_output: str) -> str:
    for key in app.callback_map:
        if key.lstrip(".").startswith(first_output + "."):
            return key
    raise KeyError(first_output)


def payload(app, first_output: str, inputs: dict, state: dict | None = None) -> dict:
    key = _callback_key(app, first_output)
    spec = app.callback_map[key]
    outputs = [{"id": o.split(".")[0], "property": o.split(".", 1)[1]}
               for o in (key[2:-2].split("...") if key.startswith("..") else [key])]

    def items(specs, values):
        return [{"id": s["id"], "property": s["property"], "value": values.get(f"{s['id']}.{s['property']}")}
                for s in specs]

    return {"output": key, "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": items(spec["inputs"], inputs), "state": items(spec.get("state", []), state or {}),
            "changedPropIds": list(inputs)}


def post(client, body: dict) -> int:
    response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 204), response.data[:500]
    return len(response.data)


def timed(label: str, fn, svc) -> None:
    colds = []
    for _ in range(3):
        svc.queries.clear()
        t = time.perf_counter()
        size = fn()
        colds.append((time.perf_counter() - t) * 1000)
    fn()
    t = time.perf_counter()
    for _ in range(WARM_RUNS):
        fn()
    warm = (time.perf_counter() - t) * 1000 / WARM_RUNS
    print(f"{label:<44} cold {statistics.median(colds):8.1f} ms   warm {warm:7.2f} ms   response {size:>10,} B")
