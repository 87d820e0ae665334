"""The problem registry (tinnhiem.problems): every problem defined once, each one tested."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tinnhiem import problems
from tinnhiem.problems import REGISTRY, PollError, Problem, ProblemType, Severity

TESTS = Path(__file__).parent
CODE = re.compile(r"[A-Z][0-9]{2}")
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")


def _test_texts() -> str:
    """Every test module and data table except this one, where a code's test would live."""
    paths = [p for p in TESTS.rglob("*.py") if p.name != Path(__file__).name]
    paths += list((TESTS / "data").rglob("*.json"))
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in paths)


def test_every_registered_problem_is_triggered_by_a_test():
    """Each code appears, quoted, in a test or a test table that expects it to be raised."""
    texts = _test_texts()
    untested = [code for code in REGISTRY if f'"{code}"' not in texts]
    assert untested == []


def test_codes_are_unique_and_well_formed():
    """Every code is a capital letter and two digits, and no code is defined twice."""
    assert all(CODE.fullmatch(code) for code in REGISTRY)
    assert all(REGISTRY[code].code == code for code in REGISTRY)
    with pytest.raises(ValueError, match="defined twice"):
        problems._define("F01", "x", "y")


def test_every_module_constant_is_registered():
    """The named problems of the module and the registry are the same set."""
    named = {v.code for v in vars(problems).values() if isinstance(v, ProblemType)}
    assert named == set(REGISTRY)


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_message_is_a_vietnamese_sentence_that_formats(code):
    """Each message is Vietnamese with diacritics, ends as a sentence and fills its fields."""
    kind = REGISTRY[code]
    values = dict.fromkeys(kind.placeholders - {"field"}, 7)
    problem = kind(field="ballots.issued", **values) if "field" in kind.placeholders else None
    problem = problem or kind(**values)
    assert VIETNAMESE.search(problem.message), problem.message
    assert problem.message.rstrip()[-1] in ".)" or "{problem}" in kind.message
    assert "{" not in problem.field and problem.field
    assert kind.severity in set(Severity)


def test_a_problem_type_builds_problems_and_errors():
    """Calling a type fills field and message; ``error`` wraps the problem in PollError."""
    problem = problems.NEGATIVE(field="ballots.issued", value=-1)
    assert problem == Problem("C01", "ballots.issued", "không được âm (-1).")
    error = problems.NEGATIVE.error(field="ballots.issued", value=-1)
    assert isinstance(error, PollError) and error.problem == problem
    assert str(error) == "ballots.issued: không được âm (-1)."


def test_warnings_are_marked_as_warnings():
    """Problems that only ask for a second look are registered as warnings, not errors."""
    warnings = {c for c, k in REGISTRY.items() if k.severity == Severity.WARNING}
    assert warnings == {c for c in REGISTRY if c.startswith("W")}


def test_each_problem_is_one_line_that_grep_finds_whole():
    """``grep '"F24"' tinnhiem/problems`` shows one line with the code, field and message."""
    lines = [
        line
        for path in Path(problems.__file__).parent.glob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    for code, kind in REGISTRY.items():
        found = [line for line in lines if f'_define("{code}", ' in line]
        assert len(found) == 1, code
        assert kind.message.replace('"', '\\"') in found[0], code


def test_the_problems_of_the_whole_file_name_it_as_problems_FILE():
    """The field written "(tệp)" in the registry's lines is the one ``problems.FILE`` gives
    the loader for the file as a whole."""
    whole = {code for code, kind in REGISTRY.items() if kind.field == problems.FILE}
    assert whole == {"F13", "F14", "F20", "F23", "F24"}
