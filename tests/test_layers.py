"""The layers, read from the imports (ast, no module is imported): no cycles between the app's modules; data_access
never imports the web layers; layouts never import callbacks; the read side (data_access.queries) never imports the
write side (data_access.write, the importer, the demo generator), not even through another module, and the write
side never imports the read side; tests never import bench (bench may use tests' helpers); a page's callbacks
import only its own layout and shared modules, and a page's layout no other page's layout (a page: one of the
page map, dashboard/pages.py; shared: any other module of layouts/ or callbacks/)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ("dashboard", "layouts", "callbacks", "data_access")
# the demo generator: data_access/demo.py and its parts (demo_world, demo_people, demo_activity, …)
DEMO = tuple(f"data_access.{p.stem}" for p in sorted((ROOT / "data_access").glob("demo*.py")))
WRITE = ("data_access.write", "data_access.importer", *DEMO)
READ = ("data_access.queries",)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:  # relative: from the module's package
        package = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
        base = ".".join(package + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    # `from pkg import name` imports pkg.name when that is a module
    return [base] + [f"{base}.{a.name}" for a in node.names]


def import_graph(packages=APP) -> dict[str, set[str]]:
    """module -> the modules of `packages` it imports (at module level or inside a function: both run)."""
    files = {module_name(p): p for pkg in packages for p in (ROOT / pkg).rglob("*.py")}
    graph = {}
    for module, path in files.items():
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names.update(_imported(node, module, path.name == "__init__.py"))
        graph[module] = {n for n in names if n in files and n != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _under(module: str, prefixes) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _edges(graph, source, target) -> list[tuple[str, str]]:
    return sorted((m, n) for m, deps in graph.items() if _under(m, source) for n in deps if _under(n, target))


def _reached(graph, module: str) -> set[str]:
    seen: set[str] = set()
    todo = [module]
    while todo:
        for n in graph.get(todo.pop(), ()):
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return seen


def _paths(graph, source, target) -> list[tuple[str, str]]:
    """(m, n): m under `source` imports n under `target`, directly or through other modules."""
    return sorted((m, n) for m in graph if _under(m, source) for n in _reached(graph, m) if _under(n, target))


def _without_packages(graph):
    """The graph without the edges to a package's __init__ that Python adds by itself (importing a.b runs a)."""
    return {m: {n for n in deps if not m.startswith(n + ".")} for m, deps in graph.items()}


def test_no_import_cycles():
    assert cycles(_without_packages(import_graph())) == []


def test_data_access_never_imports_the_web_layers():
    assert _edges(import_graph(), ("data_access",), ("dashboard", "layouts", "callbacks")) == []


def test_layouts_never_import_callbacks():
    assert _edges(import_graph(), ("layouts",), ("callbacks",)) == []


def test_pages_import_only_the_core_of_dashboard():
    """layouts/ and callbacks/ import dashboard.core (ids, auth, pages, the viewer helper, ...), never the
    composition root (factory, router, routes, command line), and the core never imports the root."""
    graph = _without_packages(import_graph())
    root = [m for m in graph if m.startswith("dashboard.") and not _under(m, ("dashboard.core",))]
    assert root and all(_under(m, ("dashboard",)) for m in root)
    assert _edges(graph, ("layouts", "callbacks"), tuple(root)) == []
    assert _edges(graph, ("dashboard.core",), tuple(root)) == []


def test_read_side_and_write_side_apart():
    graph = import_graph()
    assert _paths(graph, READ, WRITE) == []
    assert _paths(graph, WRITE, READ) == []


def test_tests_and_bench_do_not_import_each_other_both_ways():
    graph = import_graph(("tests", "bench"))
    assert not (_edges(graph, ("tests",), ("bench",)) and _edges(graph, ("bench",), ("tests",)))
    assert _edges(graph, ("tests",), ("bench",)) == []


def page_modules() -> set[str]:
    """The modules of the page map's pages (layouts.<name> and callbacks.<name>: "collaboration.users" is a tab
    registered by layouts.collaboration)."""
    from dashboard.core import pages

    return {p.name.partition(".")[0] for p in pages.PAGES}


def cross_page_imports(graph, names: set[str]) -> list[tuple[str, str]]:
    """(m, n): m, a page's callbacks or layout, imports n, the callbacks or layout of another page (a page's
    callbacks may import its own layout)."""
    pages = {f"{layer}.{name}": name for layer in ("callbacks", "layouts") for name in names}
    return sorted((m, n) for m, deps in graph.items() if m in pages
                  for n in deps if n in pages and pages[n] != pages[m])


def test_a_page_imports_only_its_own_layout_and_shared_modules():
    names = page_modules()
    assert {"overview", "session", "program_sessions", "collaboration", "user", "users"} <= names
    assert cross_page_imports(import_graph(), names) == []


def test_the_page_check_sees_imports_across_pages():
    graph = {"callbacks.a": {"layouts.a", "callbacks.grids", "callbacks.b"},
             "layouts.a": {"layouts.b", "layouts.grids"}, "callbacks.b": {"layouts.b"}, "layouts.b": set()}
    assert cross_page_imports(graph, {"a", "b"}) == [("callbacks.a", "callbacks.b"), ("layouts.a", "layouts.b")]


def test_the_checks_see_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
