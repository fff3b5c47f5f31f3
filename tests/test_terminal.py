"""What reaches a terminal or a CI log: control and bidirectional characters shown
escaped, and no line that user text starts with ``::``."""

from __future__ import annotations

import io

import pytest

from conflictdata.core.terminal import EscapingStream, escape, shown_path
from conflictdata.validation.problems import Problem


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("plain ASCII and Кириллица, العربية", "plain ASCII and Кириллица, العربية"),
        ("\x1b[31mred", "\\u001b[31mred"),
        ("a\rb\nc\td", "a\\u000db\\u000ac\\u0009d"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
        ("\u2066isolate\u2069", "\\u2066isolate\\u2069"),
        ("nel\x85", "nel\\u0085"),
        ("\x00\x7f", "\\u0000\\u007f"),
        ("not-utf8-\udcff.yaml", "not-utf8-\\udcff.yaml"),  # os.fsdecode(b"not-utf8-\xff.yaml")
    ],
)
def test_escape(raw, shown):
    assert escape(raw) == shown


def test_escape_keeps_lines_when_asked():
    assert escape("a\nb\tc\rd", lines=True) == "a\nb\tc\\u000dd"


def test_a_path_never_starts_a_line_with_two_colons():
    assert shown_path("::error::x.yaml") == "./::error::x.yaml"
    assert shown_path("records/::x.yaml") == "records/::x.yaml"


def test_problem_text_is_one_safe_line():
    p = Problem("x\n::error::y.yaml", 1, 2, "title", "bad \u202e value\r\n::warning::z")
    text = p.text()
    assert "\n" not in text and "\r" not in text and "\u202e" not in text
    assert text == "x\\u000a::error::y.yaml:1:2: title: bad \\u202e value\\u000d\\u000a::warning::z"
    assert Problem("::stop-commands::t.yaml", 1, 1, "", "m").text().startswith("./::stop")


def test_problem_github_annotation_cannot_be_cut_or_forged():
    p = Problem("a,b:c%d\r\n.yaml", 3, 4, "f", "100% \n::error::x", "rule")
    line = p.github()
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::error file=a%2Cb%3Ac%25d\\u000d\\u000a.yaml,line=3,col=4,")
    assert line.endswith("::f: 100%25 \\u000a::error::x")


def test_escaping_stream():
    out = io.StringIO()
    stream = EscapingStream(out)
    stream.write("line \x1b[2J one\n")
    stream.writelines(["two\u202e\n", "three\r\n"])
    assert out.getvalue() == "line \\u001b[2J one\ntwo\\u202e\nthree\\u000d\n"
