"""Fault flags are named constants (demoshop/faults/flags.py) read through one `is_on`: every flag
fault has a reader, every reader names a declared flag, and nothing else reads the markers. A
misspelt flag would otherwise silently disable its fault."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from demoshop.faults import flags
from demoshop.faults.catalog import FAULTS
from demoshop.faults.kinds import flag_fault

DEMOSHOP = Path(__file__).resolve().parents[2] / "demoshop"
READERS = ("is_on", "fault_on")
TEMPLATE_READ = re.compile(r"fault_on\(([^)]*)\)")


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _reads_in(tree: ast.AST, where: str) -> list[tuple[str, str]]:
    """(what the reader names, where) for each is_on/fault_on call: a flags constant's name, or a
    pass-through of the enclosing function's own first parameter (an adapter such as fault_on)."""
    reads = []

    def visit(node: ast.AST, params: tuple[str, ...]) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            params = tuple(arg.arg for arg in node.args.args)
        if isinstance(node, ast.Call) and _called_name(node) in READERS and node.args:
            first = node.args[0]
            line = f"{where}:{node.lineno}"
            if isinstance(first, ast.Attribute) and isinstance(first.value, ast.Name) and first.value.id == "flags":
                reads.append((first.attr, line))
            elif not (isinstance(first, ast.Name) and params[:1] == (first.id,)):
                reads.append((ast.unparse(first), line))
        for child in ast.iter_child_nodes(node):
            visit(child, params)

    visit(tree, ())
    return reads


def all_reads() -> list[tuple[str, str]]:
    reads = []
    for path in sorted(DEMOSHOP.rglob("*.py")):
        if path.name != "flags.py":
            reads += _reads_in(ast.parse(path.read_text()), str(path.relative_to(DEMOSHOP)))
    for path in sorted(DEMOSHOP.rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for argument in TEMPLATE_READ.findall(line):
                name = argument.strip().removeprefix("flags.")
                reads.append(
                    (
                        name if argument.strip().startswith("flags.") else argument,
                        f"{path.relative_to(DEMOSHOP)}:{number}",
                    )
                )
    return reads


def constant_value(name: str) -> str | None:
    value = getattr(flags, name, None) if name.isupper() else None
    return value if isinstance(value, str) and value in flags.ALL else None


def test_every_reader_names_a_declared_flag():
    reads = all_reads()
    assert len(reads) >= len(flags.ALL)
    unknown = [f"{where}: {name}" for name, where in reads if constant_value(name) is None]
    assert not unknown, f"readers that name no constant of demoshop/faults/flags.py: {unknown}"


def test_every_flag_fault_and_every_declared_flag_has_a_reader():
    read = {constant_value(name) for name, _ in all_reads()}
    flag_faults = {name for name, fault in FAULTS.items() if fault.kind == "flag"}
    assert flag_faults <= flags.ALL, f"flag faults not declared in flags.py: {flag_faults - flags.ALL}"
    assert not flags.ALL - read, f"flags nothing reads (their faults would change nothing): {flags.ALL - read}"


def test_every_declared_flag_is_a_fault_one_can_switch():
    assert not flags.ALL - set(FAULTS), f"flags no fault switches on: {flags.ALL - set(FAULTS)}"


def test_only_the_flags_module_makes_a_path_into_the_markers_folder():
    """Every marker is read through flags.is_on/active/folder, none by a path of its own (`run_dir / "faults"`)."""
    spelled = []
    for path in sorted(DEMOSHOP.rglob("*.py")):
        if path.name == "flags.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Div)
                and any(isinstance(side, ast.Constant) and side.value == "faults" for side in (node.left, node.right))
            ):
                spelled.append(f"{path.relative_to(DEMOSHOP)}:{node.lineno}")
    assert not spelled, f"paths into RUN/faults made outside demoshop/faults/flags.py: {spelled}"


def test_a_misspelt_flag_is_refused_not_silently_off(tmp_path):
    with pytest.raises(ValueError, match="unknown fault flag 'payment500'.*flags.py"):
        flags.is_on("payment500", tmp_path)
    with pytest.raises(ValueError, match="not declared"):
        flag_fault("payment500", "a typo")
    (tmp_path / flags.PAYMENT_500).touch()
    assert flags.is_on(flags.PAYMENT_500, tmp_path) and not flags.is_on(flags.JS_ERROR, tmp_path)
    assert flags.active(tmp_path) == [flags.PAYMENT_500]
