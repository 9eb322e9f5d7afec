"""The house rules a newcomer relies on: a real package, no Flask in the library, no import
cycles, modules small enough to read."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent.parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def top_level_imports(path: Path, package: str) -> list[tuple[str, list[str]]]:
    """What importing ``path`` imports: (module, names) per statement, module-level only
    (imports inside functions are deliberate lazy imports; ``if TYPE_CHECKING:`` blocks never
    run). ``import x`` gives ``(x, [])``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = package.split(".") if path.name == "__init__.py" else package.split(".")[:-1]
    found: list[tuple[str, list[str]]] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                found.extend((alias.name, []) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                    prefix = ".".join(base)
                    target = f"{prefix}.{node.module}" if node.module else prefix
                else:
                    target = node.module or ""
                found.append((target, [alias.name for alias in node.names]))
            elif isinstance(node, ast.If) and not _is_type_checking(node):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)

    visit(tree.body)
    return found


def import_graph(top: str) -> nx.DiGraph:
    """Module -> module it needs at import time. ``from pkg import sub`` needs only the
    submodule ``pkg.sub``; it needs ``pkg`` itself (its ``__init__``) only for a name that is
    not a submodule. A submodule's implicit import of its parent package is not counted: Python
    runs the parent first either way, and only the parent's own imports can close a cycle."""
    files = sorted((ROOT / top).rglob("*.py"))
    names = {module_name(f): f for f in files}
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    for name, path in names.items():
        for target, imported in top_level_imports(path, name):
            wanted = {f"{target}.{n}" for n in imported if f"{target}.{n}" in names}
            if not imported or len(wanted) < len(imported):
                wanted.add(target)
            for module in wanted:
                if module in names and module != name:
                    graph.add_edge(name, module)
    return graph


def test_mapper_is_a_real_package_with_a_public_api():
    import mapper

    assert (ROOT / "mapper" / "__init__.py").is_file()
    assert mapper.__version__
    for name in mapper.__all__:
        assert getattr(mapper, name) is not None, name
    store = mapper.open_store(":memory:")
    try:
        assert isinstance(store, mapper.Store)
    finally:
        store.close()


def test_importing_the_library_loads_no_flask():
    code = (
        "import sys, mapper, mapper.store, mapper.cli, mapper.io, mapper.analysis.warm, "
        "mapper.analysis.community, mapper.maps, mapper.privacy\n"
        "mapper.open_store(':memory:').close()\n"
        "web = ('flask', 'flask_babel', 'flask_wtf', 'web')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in web)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "", f"mapper loaded the web stack: {out.stdout}"


def test_no_import_cycle_among_mapper_modules():
    graph = import_graph("mapper")
    assert graph.number_of_edges() > 20  # the walk found the imports
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], f"import cycles: {cycles}"


def test_no_import_cycle_among_web_modules():
    """Blueprints are imported by name in ``web.blueprints()``, shared extensions live in
    ``web.extensions``: no area imports the app package that registers it."""
    graph = import_graph("web")
    assert graph.number_of_edges() > 10
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], f"import cycles: {cycles}"


def test_the_walk_sees_a_cycle_when_there_is_one(tmp_path, monkeypatch):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import x\n")
    (pkg / "b.py").write_text("from typing import TYPE_CHECKING\nfrom . import a\nx = 1\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert list(nx.simple_cycles(import_graph("pkg"))) != []


def test_public_names_and_lazy_table_agree():
    import mapper

    assert set(mapper.__all__) - {"__version__"} == set(mapper._EXPORTS)


#: "No module in mapper/ or web/ over about 600 lines" (#17): a module grows past this only by
#: being split by job first (see docs/architecture.md for where each job lives).
MAX_MODULE_LINES = 650


def module_lengths() -> dict[str, int]:
    lengths = {}
    for package in ("mapper", "web"):
        for path in sorted((ROOT / package).rglob("*.py")):
            with path.open(encoding="utf-8") as handle:
                lengths[str(path.relative_to(ROOT))] = sum(1 for _ in handle)
    return lengths


def test_no_module_is_over_about_600_lines():
    lengths = module_lengths()
    assert len(lengths) > 100, "the walk found too few modules"
    too_long = {path: n for path, n in lengths.items() if n > MAX_MODULE_LINES}
    assert not too_long, f"split these by job (at most {MAX_MODULE_LINES} lines): {too_long}"


#: The fixtures that start a headless Chromium or serve the app to one (tests/fixtures_web.py,
#: and the phone-sized Chromium of tests/browser/test_phone_browser.py).
BROWSER_FIXTURES = {"browser", "live_server", "live_app", "phone"}


def browser_tests_outside_the_browser_folder() -> list[str]:
    """Tests outside ``tests/browser/`` that ask for a browser fixture or the ``browser``
    mark: what a person sees is tested in that folder only (docs/architecture.md, *Tests*)."""
    found = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if (ROOT / "tests" / "browser") in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                names = {a.arg for a in node.args.args}
                marks = {ast.unparse(d) for d in node.decorator_list}
                if names & BROWSER_FIXTURES or "pytest.mark.browser" in marks:
                    found.append(f"{path.relative_to(ROOT)}::{node.name}")
    return found


def test_browser_tests_live_in_the_browser_folder():
    assert not browser_tests_outside_the_browser_folder()
