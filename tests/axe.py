"""axe-core (npm, installed by `make test` into tests/axe/node_modules) run inside a page by the Chromium tests.

The app's Content-Security-Policy forbids inline and eval'd scripts, so axe is not added as a script tag: its
source is evaluated through the browser's debugging protocol (page.evaluate runs outside the page's policy, see
tests.browser.wait_until), then axe.run checks the page against WCAG 2.0/2.1 A and AA.
"""

from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")

RUN_JS = """async ([tags, impacts]) => {
  const result = await window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.filter(v => impacts.includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: '
                                   + (n.failureSummary || '').split('\\n').slice(0, 3).join(' '))
  }));
}"""


def source() -> str:
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (make test installs it: npm install in tests/axe)")
    return AXE.read_text(encoding="utf-8")


def serious_violations(page) -> list[dict]:
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds in the page as it is now."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(source())
    return page.evaluate(RUN_JS, [TAGS, list(SERIOUS)])


def describe(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}")
            lines += [f"    {n}" for n in v["nodes"]]
    return "\n".join(lines)
