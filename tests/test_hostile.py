"""Hostile input through the real command line.

``tests/hostile/records/`` holds bad record files in three families (YAML-level,
schema-level, cross-record) and valid edge cases; ``tests/hostile/cases.json`` says
what each file must produce. Cases that are awkward to commit (a byte-order mark,
invalid UTF-8, CR line endings, a file over the size limit, very deep nesting) are
written by the test. Everything is put in one tree next to the valid seed records and
``conflictdata validate`` runs over it once: exit status 1, no traceback, every bad
file reported with a located message, and nothing reported for the valid files.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conflictdata.reader import yamlreader
from conflictdata.validation import codes
from seeds import RECORDS as SEED_RECORDS
from seeds import cli

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = json.loads((HOSTILE / "cases.json").read_text(encoding="utf-8"))
LINE = re.compile(r"^(?P<path>.+?):(?P<line>[0-9]+):(?P<col>[0-9]+): (?P<message>.+)$")

#: The valid base the generated cases start from (a committed valid edge case).
BASE = (HOSTILE / "records/arrests/2015/000/ARR-2015-00990.yaml").read_bytes()


def _generated() -> list[tuple[str, bytes, str, int]]:
    """(relpath, content, expected fragment, expected line) for the written cases."""

    def at(n: int) -> str:
        return f"arrests/2015/000/ARR-2015-{n:05d}.yaml"

    def with_id(n: int) -> bytes:
        return BASE.replace(b"ARR-2015-00990", f"ARR-2015-{n:05d}".encode())

    body = with_id(951)
    lines = body.split(b"\n")
    bad_utf8 = b"\n".join(lines[:3] + [lines[3].replace(b"Kuwait", b"Kuwa\xefit")] + lines[4:])
    deep = with_id(955) + b"extra: " + b"[" * 50_000 + b"]" * 50_000 + b"\n"
    huge = with_id(956) + b"notes: " + b"x" * (yamlreader.MAX_BYTES + 10) + b"\n"
    big_text = with_id(957).replace(b"summary: ", b"summary: " + "Кувейт ".encode() * 60_000, 1)
    nested = (
        with_id(958)
        + b"".join(b"  " * i + b"k%d:\n" % i for i in range(500))
        + b"  " * 500
        + b"x: 1\n"
    )
    long_int = with_id(980) + b"x: " + b"1" * 5000 + b"\n"
    long_float = with_id(981).replace(b"best: 6", b"best: " + b"1" * 5000 + b".5")
    return [
        (at(950), b"\xef\xbb\xbf" + with_id(950), "byte-order mark", 1),
        (at(980), long_int, "a number of 5,000 characters", body.count(b"\n") + 1),
        (
            at(981),
            long_float,
            "a number of 5,002 characters",
            long_float[: long_float.index(b"best: ")].count(b"\n") + 1,
        ),
        (at(951), bad_utf8, "invalid UTF-8 byte 0xef", 4),
        (at(952), with_id(952).replace(b"\n", b"\r\n"), "carriage return", 1),
        (at(953), with_id(953).replace(b"\n", b"\r"), "carriage return", 1),
        (at(954), with_id(954).replace(b"date:\n", b"date:\r\n"), "carriage return", 6),
        (
            at(955),
            deep,
            f"nesting deeper than {yamlreader.MAX_DEPTH} levels",
            body.count(b"\n") + 1,
        ),
        (at(956), huge, "limited to", 1),
        (at(957), big_text, "at most 4000 characters", 4),
        (
            at(958),
            nested,
            f"nesting deeper than {yamlreader.MAX_DEPTH} levels",
            body.count(b"\n") + yamlreader.MAX_DEPTH + 1,
        ),
    ]


GENERATED = _generated()
BAD = {c["file"]: (c["expect"], c["line"]) for c in CASES if c["family"] != "valid"}
BAD.update({rel: (expect, line) for rel, _, expect, line in GENERATED})
VALID = [c["file"] for c in CASES if c["family"] == "valid"]


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(SEED_RECORDS, root / "records")
    shutil.copytree(HOSTILE / "records", root / "records", dirs_exist_ok=True)
    for rel, content, _, _ in GENERATED:
        (root / "records" / rel).write_bytes(content)
    return root


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return cli(root, "validate", "--root", ".", *args, timeout=300)


@pytest.fixture(scope="module")
def text_run(hostile_tree):
    return _cli(hostile_tree)


def _by_file(output: str) -> dict[str, list[tuple[int, int, str]]]:
    found: dict[str, list[tuple[int, int, str]]] = {}
    for line in output.splitlines():
        m = LINE.match(line)
        assert m, f"an output line that is not path:line:col: message: {line!r}"
        rel = m["path"].removeprefix("records/")
        found.setdefault(rel, []).append((int(m["line"]), int(m["col"]), m["message"]))
    return found


def test_every_problem_names_a_declared_code(hostile_tree):
    done = _cli(hostile_tree, "--format", "json")
    problems = json.loads(done.stdout)
    assert problems and {p["rule"] for p in problems} <= codes.DECLARED


def test_corpus_covers_every_family():
    families = {}
    for c in CASES:
        families.setdefault(c["family"], []).append(c)
    assert {"yaml", "schema", "cross", "valid"} <= set(families)
    for name in ("yaml", "schema", "cross"):
        assert len(families[name]) >= 10, name
    assert len(GENERATED) >= 6


def test_exit_status_one_and_no_traceback(text_run):
    assert text_run.returncode == 1, text_run.stderr
    assert "Traceback" not in text_run.stdout + text_run.stderr
    assert re.search(
        r"[0-9]+ problem\(s\) in [0-9]+ file\(s\); [0-9]+ file\(s\) checked", text_run.stderr
    )


@pytest.mark.parametrize("rel", sorted(BAD))
def test_each_bad_file_gets_a_located_message(rel, text_run):
    expect, line = BAD[rel]
    messages = _by_file(text_run.stdout).get(rel, [])
    assert messages, f"nothing reported for {rel}"
    matching = [m for m in messages if expect in m[2]]
    assert matching, f"{rel}: expected {expect!r} in one of {messages}"
    assert all(m[0] >= 1 and m[1] >= 1 for m in messages)
    if line:
        assert line in [m[0] for m in matching], f"{rel}: expected line {line}, got {matching}"


def test_valid_files_produce_nothing(text_run):
    reported = set(_by_file(text_run.stdout))
    seeds = {p.relative_to(SEED_RECORDS).as_posix() for p in SEED_RECORDS.rglob("*") if p.is_file()}
    assert reported & (seeds | set(VALID)) == set()
    assert reported == set(BAD), "files reported that the corpus does not expect (or the reverse)"


def test_every_file_is_checked(text_run, hostile_tree):
    checked = int(re.search(r"([0-9]+) file\(s\) checked", text_run.stderr)[1])
    assert checked == sum(1 for p in (hostile_tree / "records").rglob("*") if p.is_file())


def test_json_format_reports_the_same_problems(hostile_tree, text_run):
    done = _cli(hostile_tree, "--format", "json")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    problems = json.loads(done.stdout)
    texts = [
        f"{p['path']}:{p['line']}:{p['col']}: "
        + (f"{p['field']}: " if p["field"] else "")
        + p["message"]
        for p in problems
    ]
    assert texts == text_run.stdout.splitlines()


def test_github_format_has_one_annotation_per_problem(hostile_tree, text_run):
    done = _cli(hostile_tree, "--format", "github")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(text_run.stdout.splitlines())
    assert all(
        re.match(r"^::error file=[^,]+,line=[0-9]+,col=[0-9]+,title=conflictdata [a-z-]+::.", ln)
        for ln in lines
    )


def test_given_paths_report_every_bad_file_too(hostile_tree):
    """The run over named files (as in a pull request) survives the same corpus."""
    paths = [f"records/{rel}" for rel in sorted(BAD)] + [f"records/{rel}" for rel in VALID]
    done = _cli(hostile_tree, *paths)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    reported = set(_by_file(done.stdout))
    assert reported == set(BAD)


# --- File names that try to forge output -------------------------------------------------

#: Record file names (written by the test: they hold newlines and control characters)
#: that would start a line of their own, move the cursor, colour the terminal, turn
#: text around, or give a command to the GitHub Actions runner if printed raw.
FORGING_NAMES = [
    "x\n::error file=forged.py,line=1::forged.yaml",
    "::stop-commands::token.yaml",
    "r\r::warning::cr.yaml",
    "\x1b[31mred\u202elmth.yaml",
    "tab\there,comma:colon%25.yaml",
    "nel\x85ls\u2028ps\u2029.yaml",
]
UNSAFE_OUTPUT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


@pytest.fixture(scope="module")
def forging_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("forging")
    shutil.copytree(SEED_RECORDS, root / "records")
    folder = root / "records/arrests/2015/000"
    for name in FORGING_NAMES:
        (folder / name).write_bytes((folder / "ARR-2015-00001.yaml").read_bytes())
    return root


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_file_names_cannot_forge_output(forging_tree, fmt):
    for args in ([], [f"records/arrests/2015/000/{n}" for n in FORGING_NAMES]):
        done = _cli(forging_tree, "--format", fmt, *args)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert not UNSAFE_OUTPUT.search(done.stdout + done.stderr), "a raw control character"
        lines = done.stdout.splitlines()
        assert len(lines) >= 2 * len(FORGING_NAMES)  # each: duplicate ID, name against ID
        if fmt == "text":
            assert all(LINE.match(ln) and not ln.startswith("::") for ln in lines)
        else:
            assert all(
                re.fullmatch(
                    r"::error file=[^,:\r\n]+,line=[0-9]+,col=[0-9]+,title=conflictdata [a-z-]+::[^\r\n]+",
                    ln,
                )
                for ln in lines
            ), lines
        for name in FORGING_NAMES:
            escaped = "".join(
                f"\\u{ord(c):04x}" if UNSAFE_OUTPUT.match(c) or c in "\t\n" else c for c in name
            )
            if fmt == "github":
                escaped = escaped.replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
            assert any(escaped in ln for ln in lines), (escaped, lines)
