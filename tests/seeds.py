"""A fixed tree of valid seed records (``tests/fixtures/seedtree/records``, a snapshot
of the first curated records, so that fixtures do not move when the dataset grows),
the records as plain data, and writing changed copies into a scratch tree: what the
rule, hostile-input and agreement tests start from."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conflictdata.reader.yamlreader import read, resolve_plain
from conflictdata.validation.validate import validate_paths, validate_tree

ROOT = Path(__file__).resolve().parent.parent
SEEDTREE = Path(__file__).resolve().parent / "fixtures" / "seedtree"
RECORDS = SEEDTREE / "records"

#: Short names for the seed files the tests mutate.
SEEDS = {
    "arrest": "arrests/2015/000/ARR-2015-00001.yaml",
    "transfer": "weapons-transfers/2015/000/WTR-2015-00001.yaml",
    "incident": "incidents/2015/000/INC-2015-00001.yaml",
    "recruitment": "recruitment/2022/000/REC-2022-00001.yaml",
    "actor": "actors/g/gknb-unnamed-representative.yaml",
    "source": "sources/i/iwpr-2015-kyrgyzstan-firefight.yaml",
}


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` as a test author; its output."""
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def cli(root: Path | None, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run ``conflictdata ARGS`` in the folder ``root``, as a user would; its result."""
    return subprocess.run(
        [sys.executable, "-m", "conflictdata.cli", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def make_tree(where: Path) -> Path:
    """A scratch copy of the seed tree under ``where``; returns the tree's root."""
    shutil.copytree(RECORDS, where / "records")
    return where


def seed(name: str) -> dict:
    """A fresh copy of a seed record as plain data (``name`` is a key of SEEDS or a
    path under records/)."""
    relpath = SEEDS.get(name, name)
    return copy.deepcopy(read((RECORDS / relpath).read_bytes()))


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, except that text holding a character YAML reads as a line
    break (NEL, LS, PS) is double-quoted so the character is escaped (written raw
    inside single quotes, the reader folds it into a space), and text that YAML 1.2
    reads as a number is quoted (PyYAML follows YAML 1.1, where ``1e3`` is text)."""


def _str(dumper, value: str):
    style = None
    if any(c in value for c in "\x85\u2028\u2029"):
        style = '"'
    elif value and _resolves(value):
        style = "'"  # YAML 1.2 reads it as a number, null or true/false (1e3, +.inf); PyYAML's 1.1 rules do not
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _resolves(value: str) -> bool:
    """Whether the YAML 1.2 reader would read ``value`` unquoted as something else."""
    try:
        return resolve_plain(value) != value
    except ValueError:  # a number too long to convert: quote it all the same
        return True


_Dumper.add_representer(str, _str)


def dump(data) -> str:
    """YAML text for plain data, in the style of the records (field order kept)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write(tree: Path, relpath: str, data) -> Path:
    """Write ``data`` (text, bytes or plain data) to ``tree/records/relpath``."""
    path = tree / "records" / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_text(dump(data), encoding="utf-8")
    return path


def run_both(tree: Path, relpaths: list[str]):
    """The problems of a full run and of a run over just ``relpaths``."""
    full = validate_tree(tree, jobs=1).problems
    some = validate_paths(tree, [tree / "records" / rp for rp in relpaths]).problems
    return full, some


def get(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def set_(path: tuple, value):
    """A mutation that sets the field at ``path``."""

    def apply(data):
        get(data, path[:-1])[path[-1]] = copy.deepcopy(value)

    return apply


def delete(path: tuple):
    """A mutation that removes the field at ``path``."""

    def apply(data):
        del get(data, path[:-1])[path[-1]]

    return apply


def append(path: tuple, value):
    """A mutation that appends to the list at ``path``; ``value`` may be a function of
    the record (to copy another part of it)."""

    def apply(data):
        item = value(data) if callable(value) else value
        get(data, path).append(copy.deepcopy(item))

    return apply


def copy_of(path: tuple, **changes):
    """A value for :func:`append`: a copy of the part at ``path`` with some fields changed."""

    def make(data):
        item = copy.deepcopy(get(data, path))
        item.update(changes)
        return item

    return make


def both(*mutations):
    """Several mutations applied in order."""

    def apply(data):
        for m in mutations:
            m(data)

    return apply
