"""docs/security.md names a proving test for every control; each named test must exist, in the
file the row says (a renamed or moved test would otherwise leave the table quietly wrong)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"
# "P `test_x`" (a letter from the legend), "`tests/a.py::test_x`", "`tests/a.py`", "`test_x`".
TOKEN = re.compile(
    r"(?<![\w`])([A-Z]) (?=`)|`(tests/[\w/]+\.py)(?:::(test_\w+))?`|`(test_\w+)`")


def _legend(text):
    """The letters the doc uses for test files: "`tests/test_auth_mfa.py` (M)"."""
    return dict((letter, path) for path, letter in
                re.findall(r"`(tests/[\w/]+\.py)` \(([A-Z])\)", text))


def _defined(path):
    return set(re.findall(r"^def (test_\w+)", (ROOT / path).read_text(), re.M))


def _rows(text):
    """(requirement, proving-test cell) of every table row but headers and rulers."""
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and not set(cells[0]) <= {"-", " "} \
                and cells[2] != "proving test":
            yield cells[0], cells[2]


def test_every_row_names_a_proving_test_that_exists_where_it_says():
    text = DOC.read_text()
    legend = _legend(text)
    assert len(legend) >= 9
    rows = list(_rows(text))
    assert len(rows) >= 40
    missing = []
    for requirement, cell in rows:
        current, named = None, 0
        for letter, path, path_test, bare in TOKEN.findall(cell):
            if letter:
                current = legend[letter]
            elif path:
                assert (ROOT / path).exists(), (requirement, path)
                current, named = path, named + 1
                if path_test and path_test not in _defined(path):
                    missing.append((requirement, path, path_test))
            elif bare:
                named += 1
                if current is None or bare not in _defined(current):
                    missing.append((requirement, current, bare))
        assert named or "`make test`" in cell or "table rows" in cell, requirement
    assert missing == []
