"""The house's structure, as docs/architecture.md describes it: the core at the bottom, no cycles.

Read from the code's own imports (every `import` and `from … import`, at any depth of a module),
so a function-level import cannot hide a dependency.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("platform_site", "orgs", "councils", "cases", "surveys", "outreach", "consultations")
FEATURES = APPS[1:]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Project modules this file imports, resolved to dotted names (relative imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return {m for m in found if m.split(".")[0] in APPS}


def _sources() -> dict[str, Path]:
    return {
        _module_name(p): p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts
    }


def _graph() -> dict[str, set[str]]:
    modules = _sources()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for target in _imports(path):
            # `from x import y` names a module x.y when it exists, else the module x.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
    return graph


def test_the_core_imports_no_feature_app():
    offending = sorted(
        f"{src} → {dst}"
        for src, targets in _graph().items()
        if src.startswith("platform_site")
        for dst in targets
        if dst.split(".")[0] in FEATURES
    )
    assert not offending, offending


def test_the_registry_imports_no_later_app():
    """orgs is the first feature app: the ledger, surveys and outreach build on it, not it on them."""
    offending = sorted(
        f"{src} → {dst}"
        for src, targets in _graph().items()
        if src.startswith("orgs")
        for dst in targets
        if dst.split(".")[0] in ("councils", "cases", "surveys", "outreach", "consultations")
    )
    assert not offending, offending


def test_the_record_of_consultations_sits_between_the_ledger_and_outreach():
    """The ledger knows nothing of the consultations; the consultations nothing of outreach."""
    offending = sorted(
        f"{src} → {dst}"
        for src, targets in _graph().items()
        for dst in targets
        if (src.startswith("cases") and dst.startswith("consultations"))
        or (src.startswith("consultations") and dst.startswith(("outreach", "surveys")))
    )
    assert not offending, offending


def test_the_councils_import_no_later_app():
    """The duty-bound body comes before the ledger: the ledger checks a working group's members
    against it (and listens to its signal), not it against the ledger."""
    offending = sorted(
        f"{src} → {dst}"
        for src, targets in _graph().items()
        if src.startswith("councils")
        for dst in targets
        if dst.split(".")[0] in ("cases", "surveys", "outreach", "consultations")
    )
    assert not offending, offending


def test_no_module_import_cycle():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    assert not cycles, cycles
