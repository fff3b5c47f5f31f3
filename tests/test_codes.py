"""Every problem code is declared once, with its statement, in validation/codes.py.

The corpora that exercise the validator (the hostile corpus in test_hostile.py and the
rule fixtures in test_rules.py) also check that every problem they see carries a
declared code; here the source itself is read: no code is spelled as a string where a
problem is made, and every declared code is used.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conflictdata.validation import codes

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "conflictdata"


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def test_every_code_is_declared_once_with_a_one_line_statement():
    seen = set()
    for c in codes.REGISTRY:
        assert (c.code, c.applies_to) not in seen
        seen.add((c.code, c.applies_to))
        assert c.statement and "\n" not in c.statement, c.code
        assert c.applies_to in {
            "file",
            "record",
            "actor",
            "source",
            "cross",
            "withdrawn",
            "redirects",
        }


def test_problems_and_rules_name_their_code_from_the_registry_never_as_a_literal():
    literals = []
    for path, tree in _modules():
        if path.name == "codes.py":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            callee = _name(node.func)
            if callee == "Problem":
                args = node.args[5:6] + [k.value for k in node.keywords if k.arg == "rule"]
            elif callee == "rule":
                args = node.args[:1] + [k.value for k in node.keywords if k.arg == "code"]
            else:
                continue
            for arg in args:
                if isinstance(arg, ast.Constant):
                    literals.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {arg.value!r}")
                elif isinstance(arg, ast.Attribute):
                    assert isinstance(arg.value, ast.Name) and arg.value.id == "codes", (
                        f"{path.relative_to(PACKAGE)}:{node.lineno}: code not from codes"
                    )
                    assert isinstance(getattr(codes, arg.attr), str)
    assert literals == [], "use a constant of conflictdata.validation.codes:\n" + "\n".join(
        literals
    )


def test_found_problems_hold_no_literal_code():
    """validate.py collects (code, field path, message) in ``found`` before it locates
    them; the code comes from the registry there too."""
    literals = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "append"
                and _name(node.func.value) in ("found", "duplicates")
                and node.args
                and isinstance(node.args[0], ast.Tuple)
            ):
                for item in node.args[0].elts[:2]:
                    if isinstance(item, ast.Constant) and item.value in codes.DECLARED:
                        literals.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert literals == []


def test_every_declared_code_is_used():
    names = {n for n, v in vars(codes).items() if n.isupper() and isinstance(v, str)}
    used = set()
    for path, tree in _modules():
        if path.name == "codes.py":
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "codes"
            ):
                used.add(node.attr)
    assert names - used == set()
    assert {getattr(codes, n) for n in names} == codes.DECLARED
