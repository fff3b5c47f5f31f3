"""The wheel carries the built release: installed into a fresh virtual environment,
outside any checkout, conflictdata.load() returns every record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conflictdata.core import vocab
from conflictdata.model.models import RECORD_MODELS

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(cmd, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_wheel_installed_in_a_fresh_venv_loads_every_record(tmp_path, wheel):
    assert not str(tmp_path).startswith(str(ROOT))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)]
    )

    # The wheel carries the committed release (data/), not the records as they are now.
    release = json.loads((ROOT / "data" / "records.json").read_text(encoding="utf-8"))
    expected = sorted(r["id"] for r in release["records"])
    script = (
        "import json, conflictdata\n"
        "ds = conflictdata.load()\n"
        "records = list(ds)\n"
        "print(json.dumps({'file': conflictdata.__file__, 'root': str(ds.root), 'ids': sorted(r.id for r in records),\n"
        "  'typed': sorted({type(r).__name__ for r in records}), 'version': conflictdata.DATA_VERSION,\n"
        "  'tables': len(ds.tables), 'actors': len(ds.actors)}))\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    out = json.loads(_run([str(python), "-c", script], cwd=elsewhere, env=env).stdout)
    assert out["file"].startswith(str(venv)), out["file"]
    assert Path(out["root"]).name == "_release" and out["root"].startswith(str(venv))
    assert out["ids"] == expected
    kinds_present = {vocab.KIND_BY_PREFIX[i[:3]].name for i in expected}
    assert out["typed"] == sorted(RECORD_MODELS[k].__name__ for k in kinds_present)
    assert out["tables"] > 10 and out["actors"] > 0
