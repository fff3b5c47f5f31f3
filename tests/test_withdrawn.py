"""Tombstones in ``records/withdrawn.yaml``: one fixture per rule, each failing for that
reason alone, reported as located problems by every kind of run."""

from __future__ import annotations

from pathlib import Path

import pytest

from conflictdata.core import paths
from conflictdata.tools import ids
from conflictdata.validation import withdrawn
from conflictdata.validation.validate import PathLookup, validate_paths, validate_tree
from seeds import make_tree

ARREST = "arrests/2015/000/ARR-2015-00001.yaml"
GOOD = """\
# Withdrawn record IDs.
- id: ARR-2015-00007
  reason: duplicate
  replaced_by: ARR-2015-00001
  withdrawn: "2026-11-22"
  note: Reported twice.
- id: INC-2015-00009
  reason: out_of_scope
  withdrawn: "2026-11-22"
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


def write(tree: Path, text: str) -> Path:
    path = tree / "records" / paths.WITHDRAWN_FILE
    path.write_text(text, encoding="utf-8")
    return path


def only(problems, rule: str):
    assert [p.rule for p in problems] == [rule], problems
    return problems[0]


def test_a_valid_list_passes_every_run(tree):
    write(tree, GOOD)
    assert withdrawn.check(tree) == []
    assert validate_tree(tree).problems == []
    assert validate_paths(tree, [tree / "records" / ARREST]).problems == []
    assert withdrawn.load(tree).ids == {"ARR-2015-00007", "INC-2015-00009"}


def test_a_missing_file_is_an_empty_list(tree):
    assert withdrawn.load(tree).entries == []
    assert withdrawn.check(tree) == []


def test_duplicate_needs_replaced_by(tree):
    write(tree, GOOD.replace("  replaced_by: ARR-2015-00001\n", ""))
    problem = only(withdrawn.check(tree), "withdrawn")
    assert (problem.line, problem.field) == (3, "[0].replaced_by")
    assert "needs replaced_by" in problem.message


def test_replaced_by_must_exist(tree):
    write(tree, GOOD.replace("replaced_by: ARR-2015-00001", "replaced_by: ARR-2015-00099"))
    problem = only(withdrawn.check(tree), "withdrawn")
    assert (problem.line, problem.field) == (4, "[0].replaced_by")
    assert "ARR-2015-00099 does not exist" in problem.message


def test_replaced_by_may_not_be_withdrawn_itself(tree):
    write(tree, GOOD.replace("replaced_by: ARR-2015-00001", "replaced_by: INC-2015-00009"))
    problem = only(withdrawn.check(tree), "withdrawn")
    assert "itself withdrawn" in problem.message


def test_an_id_is_listed_once(tree):
    write(tree, GOOD + GOOD.split("\n", 1)[1].split("- id: INC")[0])
    problem = only(withdrawn.check(tree), "withdrawn")
    assert (problem.line, problem.field) == (10, "[2].id")
    assert "listed twice" in problem.message


def test_an_entry_of_the_wrong_shape_is_located(tree):
    write(tree, GOOD.replace("reason: out_of_scope", "reason: out-of-scope"))
    problem = only(withdrawn.check(tree), "withdrawn")
    assert problem.path.endswith("records/withdrawn.yaml")
    assert problem.line == 8 and problem.field == "[1].reason"
    assert "did you mean 'out_of_scope'" in problem.message


def test_a_list_may_start_with_a_document_marker(tree):
    write(tree, "---\n" + GOOD)
    assert withdrawn.check(tree) == []
    assert withdrawn.load(tree).ids == {"ARR-2015-00007", "INC-2015-00009"}


def test_an_empty_file_is_an_empty_list(tree):
    write(tree, "# no withdrawn IDs yet\n")
    assert withdrawn.load(tree).entries == []
    assert withdrawn.check(tree) == []


def test_a_file_that_is_not_a_list_is_reported(tree):
    write(tree, "id: ARR-2015-00007\nreason: duplicate\n")
    only(withdrawn.check(tree), "withdrawn")


def test_a_yaml_error_is_located_on_the_files_own_lines(tree):
    write(tree, GOOD.replace("  note: Reported twice.", "  note: [unclosed"))
    problem = only(withdrawn.check(tree), "yaml")
    assert problem.line in (6, 7)


def test_a_withdrawn_id_may_not_be_a_record_again(tree):
    write(
        tree,
        GOOD.replace("ARR-2015-00007", "ARR-2015-00001").replace(
            "replaced_by: ARR-2015-00001", "replaced_by: WTR-2015-00001"
        ),
    )
    problem = only(withdrawn.check(tree), "withdrawn-reused")
    assert problem.path.endswith("records/" + ARREST)
    assert problem.field == "id" and problem.line == 2
    # a full run and a run over the file report it too
    assert "withdrawn-reused" in {p.rule for p in validate_tree(tree).problems}
    assert "withdrawn-reused" in {
        p.rule for p in validate_paths(tree, [tree / "records" / ARREST]).problems
    }


def test_lost_ids_names_each_id_without_a_tombstone(tree):
    write(tree, GOOD)
    before = {
        "ARR-2015-00007": "arrests/2015/000/ARR-2015-00007.yaml",
        "ARR-2015-00001": ARREST,
        "REC-2020-00003": "recruitment/2020/000/REC-2020-00003.yaml",
    }
    problems = withdrawn.lost_ids(tree, before, PathLookup(tree).has_record, "main")
    assert [p.rule for p in problems] == ["id-loss"]
    assert "REC-2020-00003" in problems[0].message and "main" in problems[0].message


def test_next_free_serial_skips_withdrawn_ids():
    taken = {"ARR-2015-00001", "ARR-2015-00007", "ARR-2016-00040", "INC-2015-00099"}
    assert ids.next_free_serial(taken, "ARR", 2015) == 8
    assert ids.next_free_serial(taken, "ARR", 2017) == 1
