"""Shared fixtures: the repository root, and a scratch copy of the records tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "sources"


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the repository's records/ in a temporary root, free to break."""
    shutil.copytree(ROOT / "records", tmp_path / "records")
    return tmp_path


def pytest_configure(config):
    """The caches a run writes (GeoNames, the actor names of each scratch registry) go to
    a folder of this run, not the user's own cache folder; commands started by the tests
    inherit it. A test that is about the cache folder sets its own."""
    config._cache_home = tempfile.TemporaryDirectory(prefix="conflictdata-test-cache-")
    config._cache_env = pytest.MonkeyPatch()
    config._cache_env.setenv("XDG_CACHE_HOME", config._cache_home.name)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    """A test that changes the cache folder without putting it back would send every later
    test's caches to the user's own folder: it fails here instead."""
    result = yield
    home = item.config._cache_home.name
    if os.environ.get("XDG_CACHE_HOME") != home:
        os.environ["XDG_CACHE_HOME"] = home
        raise AssertionError(f"{item.nodeid} changed XDG_CACHE_HOME and did not put it back")
    return result


def pytest_unconfigure(config):
    config._cache_env.undo()  # the variable as it was before the run
    config._cache_home.cleanup()


def pytest_addoption(parser):
    parser.addoption(
        "--site-screenshot",
        default=None,
        metavar="PNG",
        help="where the site's browser test saves a screenshot of a record page "
        "(the README's docs/site-record.png)",
    )


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built once per run into a folder outside the checkout."""
    dist = tmp_path_factory.mktemp("dist")
    assert not str(dist).startswith(str(ROOT))
    cmd = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)]
    done = subprocess.run([*cmd, str(ROOT)], capture_output=True, text=True)
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    (built,) = dist.glob("conflictdata-*.whl")
    return built


# A test's ID reaches the environment of every process it starts (PYTEST_CURRENT_TEST), and the
# kernel refuses one environment string over 128 KiB. Some pytest releases spell a bytes or str
# parameter out in full in the ID, so a hostile input of 200,000 characters made its test fail
# with "Argument list too long" at the first subprocess. Long parameters get a short ID instead.
LONGEST_ID_PART = 40


def pytest_make_parametrize_id(config, val, argname):
    if isinstance(val, (str, bytes)) and len(val) > LONGEST_ID_PART:
        head = val[:12] if isinstance(val, str) else val[:12].decode("ascii", "backslashreplace")
        return f"{argname}={head!r}...({len(val):,} long)"
    return None


def pytest_collection_finish(session):
    long = [item.nodeid for item in session.items if len(item.nodeid) > 1_000]
    if long:
        raise pytest.UsageError(
            f"{len(long)} test IDs are over 1,000 characters, e.g. {long[0][:200]!r}..."
        )
