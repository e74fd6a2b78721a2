"""A Dash callback request as the browser sends it (POST /_dash-update-component), for tests and benchmarks."""

from __future__ import annotations


def callback_key(app, first_output: str, inputs: dict) -> str:
    """The callback whose first output is `first_output` and whose inputs include every one given (several
    callbacks may write one output: allow_duplicate)."""
    for key, spec in app.callback_map.items():
        names = {f"{i['id']}.{i['property']}" for i in spec["inputs"]}
        if key.lstrip(".").startswith(first_output + ".") and set(inputs) <= names:
            return key
    raise KeyError(first_output)


def payload(app, first_output: str, inputs: dict, state: dict | None = None) -> dict:
    key = callback_key(app, first_output, inputs)
    spec = app.callback_map[key]
    outputs = [{"id": o.split(".")[0], "property": o.split(".", 1)[1]}
               for o in (key[2:-2].split("...") if key.startswith("..") else [key])]

    def items(specs, values):
        return [{"id": s["id"], "property": s["property"], "value": values.get(f"{s['id']}.{s['property']}")}
                for s in specs]

    return {"output": key, "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": items(spec["inputs"], inputs), "state": items(spec.get("state", []), state or {}),
            "changedPropIds": list(inputs)}
