"""The layout stays readable (issue 10): no module over 250 lines, no view over 15."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "companion"
ROUTES = {"get", "post", "route", "put", "delete"}


def _modules():
    return sorted(PACKAGE.rglob("*.py"))


def _views(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                and d.func.attr in ROUTES for d in node.decorator_list):
            yield node


def test_no_module_is_longer_than_250_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in _modules()
            if (n := len(p.read_text().splitlines())) > 250}
    assert len(_modules()) > 50 and not long, long


def test_no_view_is_longer_than_15_lines():
    views = [(p, view) for p in _modules() for view in _views(ast.parse(p.read_text()))]
    long = {f"{p.relative_to(PACKAGE)}:{v.name}": v.end_lineno - v.lineno + 1 for p, v in views
            if v.end_lineno - v.lineno + 1 > 15}
    assert len(views) > 60 and not long, long
