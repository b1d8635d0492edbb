"""The package's shape: imports point one way (no cycle), and modules stay small.

Every import statement counts, at the top of a module or inside a function: a
cycle hidden in a function still ties the two modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sheetsync
from tests.support.paths import ROOT

PACKAGE = Path(sheetsync.__file__).parent
MAX_LINES = 500  # a loose guard; modules of about 400 lines are the aim

Graph = dict[str, set[str]]


def module_names(root: Path) -> dict[str, Path]:
    """Every module of the package under `root`, by dotted name."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, modules: set[str]) -> set[str]:
    """The package's modules that `name` imports, its packages' __init__ included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from package import module` imports the module; otherwise the names live in base.
            targets += [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
    found = set()
    for target in targets:
        parts = target.split(".")
        # Importing a.b.c runs a/__init__ and a/b/__init__ first.
        found |= {".".join(parts[:n]) for n in range(1, len(parts) + 1)}
    return (found & modules) - {name}


def import_graph(root: Path) -> Graph:
    modules = module_names(root)
    return {name: imported(name, path, set(modules)) for name, path in modules.items()}


def find_cycle(graph: Graph) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None when the graph has none."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for following in sorted(graph.get(node, ())):
            cycle = visit(following, [*path, node])
            if cycle:
                return cycle
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph(PACKAGE))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_module_is_not_too_long(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE.parent)}: {lines} lines"


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": {"b"}}, ["b", "c", "b"]),
    ],
)
def test_find_cycle(graph: Graph, expected: list[str] | None) -> None:
    assert find_cycle(graph) == expected


def test_imports_inside_functions_and_relative_ones_count(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "sub" / "__init__.py").write_text("")
    (root / "sub" / "low.py").write_text("def late():\n    from pkg import high\n")
    (root / "high.py").write_text("from .sub import low\n")
    graph = import_graph(root)
    assert graph["pkg.sub.low"] == {"pkg", "pkg.high"}
    assert graph["pkg.high"] == {"pkg", "pkg.sub", "pkg.sub.low"}
    assert find_cycle(graph) == ["pkg.high", "pkg.sub.low", "pkg.high"]


# The command line's adapter of a SheetsyncError to click's own exception: click's, not ours.
EXCEPTIONS_ELSEWHERE = {"sheetsync.cli.options.Failure"}


def exception_classes(root: Path) -> dict[str, list[str]]:
    """Every class of the package that names an exception among its bases (or is named
    like one), by dotted name, with the names of its bases."""
    found = {}
    for name, path in module_names(root).items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [ast.unparse(base).rpartition(".")[2] for base in node.bases]
            if node.name.endswith(("Error", "Exception")) or any(
                base.endswith(("Error", "Exception")) for base in bases
            ):
                found[f"{name}.{node.name}"] = bases
    return found


def test_every_public_exception_is_in_errors_under_sheetsync_error() -> None:
    from sheetsync import errors  # noqa: PLC0415

    classes = exception_classes(PACKAGE)
    elsewhere = {
        name
        for name in classes
        if not name.startswith("sheetsync.errors.")
        and not name.rpartition(".")[2].startswith("_")
        and name not in EXCEPTIONS_ELSEWHERE
    }
    assert not elsewhere, f"public exceptions outside errors.py: {sorted(elsewhere)}"
    for name in (n for n in classes if n.startswith("sheetsync.errors.")):
        kind = getattr(errors, name.rpartition(".")[2])
        assert issubclass(kind, errors.SheetsyncError), name
        assert kind.exit_code in {errors.EXIT_USAGE, errors.EXIT_STRUCTURE, errors.EXIT_BACKEND}


def test_a_private_exception_is_caught_in_its_own_module() -> None:
    """An exception named with a leading underscore is caught where it is raised."""
    classes = exception_classes(PACKAGE)
    for name, path in module_names(PACKAGE).items():
        tree = ast.parse(path.read_text("utf-8"))
        private = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and node.name.startswith("_")
            and f"{name}.{node.name}" in classes
        }
        caught = {
            ast.unparse(handler.type)
            for handler in ast.walk(tree)
            if isinstance(handler, ast.ExceptHandler) and handler.type is not None
        }
        for kind in private:
            assert any(kind in text for text in caught), f"{name}.{kind} is never caught there"


# Each layer and the packages it must not import: data flows down the pipeline only.
FORBIDDEN = {
    "sheetsync.backends": (
        "sheetsync.parse",
        "sheetsync.books",
        "sheetsync.ledger",
        "sheetsync.report",
        "sheetsync.sync",
    ),
    "sheetsync.books": (
        "sheetsync.ledger",
        "sheetsync.report",
        "sheetsync.backends",
        "sheetsync.cells",
    ),
    # After the parse, no stage reads a cell again: what it needs of the rows (those
    # left out for an error included) is in the book; the state comes with the outcome.
    "sheetsync.ledger": ("sheetsync.cells", "sheetsync.report", "sheetsync.backends"),
    "sheetsync.report": ("sheetsync.cells",),
    "sheetsync.remind": ("sheetsync.cells",),
    "sheetsync.parse": (
        "sheetsync.books",
        "sheetsync.ledger",
        "sheetsync.report",
        "sheetsync.backends",
    ),
}


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def layer_breaches(graph: Graph) -> list[str]:
    """Every import of a layer into a package it must not import, as "a -> b"."""
    return [
        f"{module} -> {target}"
        for module, targets in sorted(graph.items())
        for layer, banned in FORBIDDEN.items()
        if _within(module, layer)
        for target in sorted(targets)
        if any(_within(target, b) for b in banned)
    ]


def test_the_layers_point_one_way() -> None:
    breaches = layer_breaches(import_graph(PACKAGE))
    assert not breaches, "imports against the pipeline: " + ", ".join(breaches)


def test_a_backend_importing_the_report_is_a_breach() -> None:
    graph = {"sheetsync.backends.xlsx.layout": {"sheetsync.report.tables", "sheetsync.model"}}
    assert layer_breaches(graph) == ["sheetsync.backends.xlsx.layout -> sheetsync.report.tables"]


def stage_calls(source: str, runner: str = "_analysed") -> dict[str, int]:
    """How often the module's own private functions are called in `runner`, for each
    one called there, and every call of them anywhere in the module counted."""
    tree = ast.parse(source)
    private = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("_") and node.name != runner
    }
    runs = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == runner)
    called = {
        c.func.id
        for c in ast.walk(runs)
        if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
    }
    stages = called & private
    counts = dict.fromkeys(sorted(stages), 0)
    for call in ast.walk(tree):
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id in counts
        ):
            counts[call.func.id] += 1
    return counts


def test_each_stage_of_the_pipeline_is_called_once() -> None:
    """The sync reads like a loader: each stage one function, called once, in order."""
    source = (PACKAGE / "sync" / "pipeline.py").read_text("utf-8")
    counts = stage_calls(source)
    assert {"_parsed", "_state_read", "_books", "_checked", "_report", "_journal"} <= set(counts)
    assert all(n == 1 for n in counts.values()), counts


def test_a_stage_called_twice_is_found() -> None:
    source = (
        "def _analysed():\n    _parse()\n    _parse()\n    _books()\n"
        "def _parse(): ...\ndef _books(): ...\n"
    )
    assert stage_calls(source) == {"_books": 1, "_parse": 2}


# ------------------------------------------------------------------ the tests' own shape

TESTS = ROOT / "tests"


def test_support_holds_no_tests() -> None:
    support = TESTS / "support"
    files = [p.name for p in support.rglob("test_*.py")]
    assert files == [], files
    for path in sorted(support.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        defs = [
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.name.lower().startswith("test")
        ]
        assert defs == [], (path.name, defs)


def test_each_backend_has_its_folder_of_tests() -> None:
    backends = TESTS / "backends"
    loose = sorted(p.name for p in backends.glob("test_*.py"))
    assert loose == [], loose
    folders = {p.name for p in backends.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == {"xlsx", "gsheets", "airtable"}, folders


def _imported_test_modules(path: Path) -> list[str]:
    """The test modules and conftests `path` imports (dotted), by any import form."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names += [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
    last = [name.rsplit(".", 1)[-1] for name in names if name.startswith("tests.")]
    return sorted({n for n in last if n.startswith("test_") or n == "conftest"})


def test_tests_share_helpers_only_through_support() -> None:
    """No module under tests/ or benchmarks/ imports a test module or a conftest: what
    tests share lives in tests/support/ (fixtures stay in their conftest)."""
    found = {
        path.relative_to(ROOT).as_posix(): names
        for folder in (TESTS, ROOT / "benchmarks")
        for path in sorted(folder.rglob("*.py"))
        if (names := _imported_test_modules(path))
    }
    assert found == {}, found
