"""Every file the package writes goes through conflictdata.core.atomic (a temporary
beside the target, fsync, rename; links refused): no module opens a file for writing
itself. A new command that writes gets this for free by using ``atomic``."""

from __future__ import annotations

import ast
from pathlib import Path

import conflictdata

SRC = Path(conflictdata.__file__).parent
ALLOWED = {"core/atomic.py"}


def _direct_writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        through_atomic = isinstance(func, ast.Attribute) and (
            isinstance(func.value, ast.Name) and func.value.id == "atomic"
        )
        if through_atomic:
            continue
        if isinstance(func, ast.Attribute) and func.attr in ("write_text", "write_bytes"):
            found.append(f"{node.lineno}: .{func.attr}()")
        elif (
            isinstance(func, ast.Name)
            and func.id == "open"
            or (
                isinstance(func, ast.Attribute)
                and func.attr == "open"
                and not (isinstance(func.value, ast.Name) and func.value.id == "os")
            )
        ):
            modes = [a for a in node.args[1:2]] + [
                k.value for k in node.keywords if k.arg == "mode"
            ]
            for mode in modes:
                if isinstance(mode, ast.Constant) and set(str(mode.value)) & set("wax+"):
                    found.append(f"{node.lineno}: open(..., {mode.value!r})")
    return found


def test_no_module_writes_a_file_but_through_atomic():
    offenders = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel not in ALLOWED and (found := _direct_writes(path)):
            offenders[rel] = found
    assert not offenders, (
        "write files with conflictdata.core.atomic (write_bytes, write_text, create, "
        f"Batch), not directly: {offenders}"
    )
