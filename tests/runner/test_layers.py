"""The code's layers, read from its imports (every `import` statement, those inside functions
included): no import cycle in runner/ or demoshop/, and runner/ importing only downwards.

Importing `a.b.c` runs `a/b/__init__.py` as well, so an import also reaches the packages above its
target (all but those the importer itself sits in, already imported by then).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# lowest first; a layer's groups do not import each other; a module not listed is a test failure
LAYERS = [
    {
        "foundation": [
            "runner.errors",
            "runner.secrets",
            "runner.config",
            "runner.clients",
            "runner.shopschema",
            "runner.files",
            "runner.units",
            "runner.diskspace",
            "runner.lifeline",
            "runner.state",
            "runner.cadences",
            "runner.maintenance",
            "runner.progress",
            "runner.records",
            "runner.metricnames",
            "runner.templates",
        ]
    },
    {"store": ["runner.store"], "plugin": ["runner.pytest_plugin"]},
    {"alerts": ["runner.alerts"], "dashboard": ["runner.dashboard", "runner.statuspage", "runner.metrics"]},
    {
        "pipeline": [
            "runner.execute",
            "runner.summary",
            "runner.post_run",
            "runner.pipeline",
            "runner.gate",
            "runner.catalogue",
            "runner.ci",
            "runner.verify",
            "runner.schedule",
            "runner.warm",
            "runner.warmparent",
            "runner.prestart",
        ]
    },
    {"cli": ["runner.cli", "runner.commands"]},
    {"command": ["runner.__main__"]},
]


def modules(package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every .py under the package."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """(imported module, line) for each import in the file that names one of the known modules."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            found += [(reached, node.lineno) for reached in reached_by(target, name, known)]
    return found


def reached_by(target: str, importer: str, known: dict[str, Path]) -> list[str]:
    """The known modules an import of `target` runs: it and the packages above it, but not the
    importer's own packages nor the importer."""
    parts = target.split(".")
    chain = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    own = {".".join(importer.split(".")[:i]) for i in range(1, importer.count(".") + 2)}
    return [m for m in chain if m in known and m not in own]


def graph(*packages: str) -> tuple[dict[str, Path], dict[str, list[tuple[str, int]]]]:
    known = {name: path for package in packages for name, path in modules(package).items()}
    return known, {name: imports(name, path, known) for name, path in known.items()}


def cycle(edges: dict[str, list[tuple[str, int]]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target, _ in edges.get(node, []):
            if state.get(target) == "open":
                return stack[stack.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        state[node] = "done"
        stack.pop()
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def describe(found: list[str], edges) -> str:
    steps = [f"{a} (line {next(line for t, line in edges[a] if t == b)}) -> {b}" for a, b in zip(found, found[1:])]
    return "import cycle: " + "; ".join(steps)


def test_the_runner_has_no_import_cycle():
    _, edges = graph("runner")
    found = cycle(edges)
    assert found is None, describe(found, edges)


def test_the_demo_shop_has_no_import_cycle():
    _, edges = graph("demoshop")
    found = cycle(edges)
    assert found is None, describe(found, edges)


def test_the_cycle_finder_names_a_cycle_inside_a_function(tmp_path, monkeypatch):
    """The finder itself: a cycle closed by an import inside a function is found and named."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("def late():\n    from pkg.a import thing\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    _, edges = graph("pkg")
    assert describe(cycle(edges), edges) == "import cycle: pkg.a (line 1) -> pkg.b; pkg.b (line 2) -> pkg.a"


def layer_of(module: str) -> tuple[int, str] | None:
    """(layer index, group) of the longest listed prefix of the module."""
    best = None
    for index, groups in enumerate(LAYERS):
        for group, names in groups.items():
            for listed in names:
                if (module == listed or module.startswith(listed + ".")) and (best is None or len(listed) > best[0]):
                    best = (len(listed), index, group)
    return best and best[1:]


def layer_violations(known, edges) -> list[str]:
    problems = []
    for name, path in known.items():
        here = layer_of(name) if name != "runner" else (0, "foundation")  # runner/__init__.py
        if here is None:
            problems.append(f"{path.relative_to(ROOT)}: {name} is in no layer (add it to LAYERS)")
            continue
        for target, line in edges[name]:
            there = layer_of(target)
            if there and (there[0] > here[0] or there[0] == here[0] and there[1] != here[1]):
                problems.append(
                    f"{path.relative_to(ROOT)}:{line}: {here[1]} (layer {here[0]}) imports {target} "
                    f"({there[1]}, layer {there[0]})"
                )
    return problems


def test_the_runner_imports_only_from_its_own_layer_or_below():
    known, edges = graph("runner")
    assert layer_violations(known, edges) == []


def test_an_import_from_a_higher_layer_is_named_with_its_file_and_line():
    known, edges = graph("runner")
    edges = dict(edges, **{"runner.store": edges["runner.store"] + [("runner.alerts.engine", 7)]})
    assert layer_violations(known, edges) == [
        "runner/store.py:7: store (layer 1) imports runner.alerts.engine (alerts, layer 2)"
    ]
