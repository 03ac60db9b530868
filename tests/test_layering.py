"""No private name crosses a package boundary (STYLE.md).

The import direction itself is checked by ``lint-imports`` (contracts in
pyproject.toml, run by .ci/run); this scan checks what import-linter cannot see:
a module of one skseq package using a leading-underscore name of another, by
``from ..pkg._mod import _name``, ``obj._name`` or ``getattr(obj, "_name")``.
Public names of private modules (``from ..utils._validation import check_int``)
are the package's internal API and stay allowed.
"""

import ast
from pathlib import Path

import skseq

ROOT = Path(skseq.__file__).parent

# (module, private name): why it must stay. Keep this list short.
TEST_PARAMS = (
    "the test-parameter protocol (_get_test_params, _fast_test_params, as "
    "sktime's get_test_params): every estimator class has it, tests read it"
)
ALLOWED = {
    ("skseq/forecasting/_windowed.py", "_fast_test_params"): TEST_PARAMS,
    ("skseq/utils/_testing.py", "_get_test_params"): TEST_PARAMS,
}


def _package(path):
    """Top-level part of skseq a module belongs to ('' for skseq/__init__.py)."""
    parts = path.relative_to(ROOT).parts
    return parts[0].removesuffix(".py") if len(parts) > 1 else ""


def _is_private(name):
    return name.startswith("_") and not name.startswith("__")


def _imported_package(path, node):
    """Package that ``from <node.module> import ...`` reads from."""
    here = list(path.relative_to(ROOT).parts[:-1])
    if node.level == 0:
        parts = node.module.split(".")[1:] if node.module.startswith("skseq") else []
        return parts[0] if parts else None
    base = here[: len(here) - (node.level - 1)]
    parts = base + (node.module.split(".") if node.module else [])
    return parts[0] if parts else ""


def _defined_private_names():
    """{private name: packages that define it (function, class, attribute)}."""
    owners = {}
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names = [node.attr]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            else:
                continue
            for name in filter(_is_private, names):
                owners.setdefault(name, set()).add(_package(path))
    return owners


def _own_object(node):
    """``self._x``, ``cls._x`` and ``super()._x`` are an object's own hooks."""
    value = node.value
    if isinstance(value, ast.Name):
        return value.id in ("self", "cls")
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "super"
    )


def _private_uses(path, tree, owners):
    """(line, name) of each private name of another package used in ``tree``."""
    package = _package(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _imported_package(path, node)
            if source is not None and source != package:
                for alias in node.names:
                    if _is_private(alias.name):
                        yield node.lineno, alias.name
            continue
        if isinstance(node, ast.Attribute) and not _own_object(node):
            name = node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            name = node.args[1].value
        else:
            continue
        defined_by = owners.get(name, set()) if _is_private(name) else set()
        if defined_by and package not in defined_by:
            yield node.lineno, name


def test_no_private_name_crosses_a_package_boundary():
    owners = _defined_private_names()
    found, allowed_seen = [], set()
    for path in sorted(ROOT.rglob("*.py")):
        module = path.relative_to(ROOT.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, name in _private_uses(path, tree, owners):
            if (module, name) in ALLOWED:
                allowed_seen.add((module, name))
            else:
                found.append(f"{module}:{line} uses {name}")
    assert not found, "private names of another package:\n" + "\n".join(found)
    stale = set(ALLOWED) - allowed_seen
    assert not stale, f"allow-list entries no longer needed: {stale}"


def test_the_scan_sees_each_kind_of_crossing():
    """The scan flags an import, an attribute and a getattr of another package's
    private name, and leaves an object's own hooks alone."""
    code = (
        "from ..utils._validation import _named\n"
        "def f(model):\n"
        "    model._hook()\n"
        "    getattr(model, '_hook')\n"
        "    self._hook()\n"
    )
    path = ROOT / "metrics" / "_example.py"
    uses = sorted(_private_uses(path, ast.parse(code), {"_hook": {"forecasting"}}))
    assert uses == [(1, "_named"), (3, "_hook"), (4, "_hook")]


def test_windows_are_cut_in_one_place():
    """``skseq.windowing.window_view`` is the one caller of numpy's
    ``sliding_window_view``: every other module cuts windows through it."""
    callers = sorted(
        path.relative_to(ROOT.parent).as_posix()
        for path in ROOT.rglob("*.py")
        if "sliding_window_view(" in path.read_text(encoding="utf-8")
    )
    assert callers == ["skseq/windowing/_windows.py"]
