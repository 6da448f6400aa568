"""The shape of the voting app (issue 20): sub-domains as packages that do not import each other in
circles, no private name (``_x``) used outside its module, hand-written SQL only in ``sql.py``.
Cheap static checks, so a regression shows up in the ordinary test run."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

VOTING = Path(__file__).resolve().parents[1]
REPO = VOTING.parents[1]


def _sources(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.py") if "migrations" not in p.parts]


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_voting_modules_import_each_other_without_circles():
    graph = grimp.build_graph("gorod")
    modules = {
        m
        for m in graph.modules
        if m.startswith("gorod.voting") and ".tests" not in m and ".migrations" not in m
    }
    edges = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_private_name_of_a_voting_module_is_imported_elsewhere():
    offenders = []
    for path in _sources(REPO / "gorod") + _sources(REPO / "tests") + _sources(REPO / "bench"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gorod.voting"):
                offenders += [
                    f"{path.relative_to(REPO)}: {a.name}" for a in node.names if a.name.startswith("_")
                ]
    assert offenders == []


def test_hand_written_sql_lives_only_in_sql_py():
    """Raw SQL (cursors, raw querysets, RawSQL, extra) is the performance layer: one module, each
    statement paired with an ORM twin in test_sql.py."""
    markers = ("connection.cursor", ".cursor()", ".raw(", "RawSQL", ".extra(")
    offenders = [
        str(path.relative_to(VOTING))
        for path in _sources(VOTING)
        if path.name != "sql.py" and "tests" not in path.parts and any(m in path.read_text() for m in markers)
    ]
    assert offenders == []
