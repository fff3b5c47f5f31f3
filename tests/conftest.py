"""Shared fixtures: the repository root, and a scratch copy of the records tree."""

from __future__ import annotations

import shutil
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


def pytest_addoption(parser):
    parser.addoption(
        "--site-screenshot",
        default=None,
        metavar="PNG",
        help="where the site's browser test saves a screenshot of a record page "
        "(the README's docs/site-record.png)",
    )
