"""The audit trail's rules as plain functions: sentences from codes and subjects, the kinds,
the filters and the days on the team's clock, and CSV cells a spreadsheet cannot run."""

import re
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

import companion
from companion.audit import export, filters, kinds, words

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CALLS = re.compile(r"(?:audit\.record|_audit_once|_code_refused|_reauth_refused|load_client)"
                   r"\(([^)]*)\)")
CODE = re.compile(r'(?<![f\w])"([a-z_]+(?:\.[a-z_]+)?)"')


def _entry(action, subject="", username="lead1", request_id="r1"):
    return SimpleNamespace(action=action, subject=subject, username=username,
                           request_id=request_id)


def _recorded_actions() -> set[str]:
    """Every action code the app's source writes to the trail."""
    found = set()
    for path in Path(companion.__file__).parent.rglob("*.py"):
        for call in CALLS.findall(path.read_text()):
            found.update(CODE.findall(call))
    return found - {"home", "admin"}


def test_every_action_the_app_records_has_words_and_a_kind():
    actions = _recorded_actions()
    assert {"client.view", "report.generated", "login", "capture.created"} <= actions
    assert sorted(actions - set(words.WORDS) - {"access.denied"}) == []
    assert sorted(a for a in actions if kinds.kind_of(a) is None) == []
    assert set(kinds.TEAM_KINDS) | set(kinds.ACCOUNT_KINDS) == set(kinds.KINDS)


def test_subjects_split_into_their_records():
    assert words.refs("client:4 from:2 to:- handover:9") == {
        "client": ["4"], "from": ["2"], "to": ["-"], "handover": ["9"]}
    assert words.refs("user:1 user:2")["user"] == ["1", "2"]
    assert words.refs("home clients:1,2,3") == {"clients": ["1,2,3"]}
    assert words.listed_count("1,2,3") == "3" and words.listed_count("399:1,2,3+") == "399"
    assert words.number("12") == 12 and words.number("-") is None
    assert words.number("99999999999") is None


def test_actions_read_as_sentences_naming_people_clients_and_months(app):
    names = words.Names(users={3: "worker2", 5: "worker1"}, clients={7: "K-103"},
                        client_of={("capture", 11): 7, ("meeting", 4): 7}, pairs={2: (3, 5)},
                        teams={1: "Demo team"})
    with app.test_request_context():
        said = {subject: words.describe(_entry(action, subject, username), names)
                for action, subject, username in [
                    ("client.view", "client:7", "worker2"),
                    ("report.generated", "team:1 month:2026-11", "lead1"),
                    ("capture.view", "capture:11", "worker1"),
                    ("debrief.view", "meeting:4", "worker1"),
                    ("pair.view", "pair:2", "lead1"),
                    ("client.handed_over", "client:7 from:3 to:5 handover:1", "lead1"),
                    ("login.failed", "username-hash:ab12", ""),
                    ("clients.listed", "home clients:7,8,9", "lead1"),
                    ("access.denied", "client:99", "worker1"),
                    ("access.denied", "audit.team", "worker1"),
                    ("brand.new", "x:1", "lead1"),
                ]}
    assert said == {
        "client:7": "worker2 opened K-103",
        "team:1 month:2026-11": "lead1 downloaded the November 2026 report",
        "capture:11": "worker1 opened a capture of K-103",
        "meeting:4": "worker1 opened the debrief of K-103",
        "pair:2": "lead1 opened the pair page of worker2 and worker1",
        "client:7 from:3 to:5 handover:1": "lead1 handed K-103 over to worker1",
        "username-hash:ab12": "Someone failed to sign in as an unknown name",
        "home clients:7,8,9": "lead1 saw a list of 3 client codes on the home page",
        "client:99": "worker1 was refused a client outside your team",
        "audit.team": "worker1 was refused a page (audit.team)",
        "x:1": "lead1: brand.new x:1",
    }


def test_sentences_are_in_german_for_a_german_reader(app):
    names = words.Names(clients={7: "K-103"})
    with app.test_request_context(headers={"Accept-Language": "de"}):
        opened = words.describe(_entry("client.view", "client:7", "worker2"), names)
        report = words.describe(_entry("report.generated", "month:2026-11"), names)
        command_line = words.describe(_entry("retention.purged", "before:2025-01-01", "", "cli"),
                                      names)
    assert opened == "worker2 hat K-103 geöffnet"
    assert report == "lead1 hat den Bericht für November 2026 heruntergeladen"
    assert command_line.startswith("Die Kommandozeile hat")


def test_filters_read_ids_kinds_and_days_and_leave_empty_ones_out():
    chosen, errors = filters.parse(
        {"who": "4", "client": "7", "kind": "opened", "from": "2026-12-01", "to": "2026-12-31",
         "page": "3"}, people={4}, clients={7}, kinds={"opened"})
    assert errors == {}
    assert chosen == filters.Filters(4, 7, "opened", date(2026, 12, 1), date(2026, 12, 31), 3)
    assert chosen.args(page=4) == {"who": "4", "client": "7", "kind": "opened",
                                   "from": "2026-12-01", "to": "2026-12-31", "page": "4"}
    assert chosen.key() == "who:4 client:7 kind:opened from:2026-12-01 to:2026-12-31"
    assert filters.parse({}, {4}, {7}, {"opened"}) == (filters.Filters(), {})


@pytest.mark.parametrize(("args", "field"), [
    ({"who": "5"}, "who"), ({"who": "w2"}, "who"), ({"who": "9" * 40}, "who"),
    ({"client": "8"}, "client"), ({"client": "K-103"}, "client"),
    ({"kind": "capture."}, "kind"), ({"kind": "%"}, "kind"),
    ({"from": "1.12.2026"}, "from"), ({"from": "2026-02-30"}, "from"),
    ({"to": "1999-12-31"}, "to"), ({"from": "2026-12-02", "to": "2026-12-01"}, "to"),
])
def test_a_value_the_reader_cannot_choose_is_named_with_a_message(args, field):
    _chosen, errors = filters.parse(args, people={4}, clients={7}, kinds={"opened"})
    assert list(errors) == [field] and errors[field].endswith(".")


def test_a_trail_without_a_client_filter_ignores_the_value_and_pages_are_clamped():
    chosen, errors = filters.parse({"client": "K-103", "page": "-4"}, {4}, None, set())
    assert errors == {} and chosen.client is None and chosen.page == 1
    for text, page in [("x", 1), ("0", 1), ("99999999999999999999999", filters.MAX_PAGE)]:
        assert filters.parse({"page": text}, {4}, None, set())[0].page == page


def test_days_are_the_teams_days_in_winter_summer_and_across_the_clock_change():
    assert filters.utc_bounds(date(2026, 12, 1), date(2026, 12, 31), AMSTERDAM) == (
        datetime(2026, 11, 30, 23), datetime(2026, 12, 31, 23))
    assert filters.utc_bounds(date(2026, 7, 1), None, AMSTERDAM) == (
        datetime(2026, 6, 30, 22), None)
    # 29 March 2026 has 23 hours in Amsterdam: it ends at 22:00 UTC
    assert filters.utc_bounds(date(2026, 3, 29), date(2026, 3, 29), AMSTERDAM) == (
        datetime(2026, 3, 28, 23), datetime(2026, 3, 29, 22))
    assert filters.utc_bounds(None, None, AMSTERDAM) == (None, None)


def test_csv_cells_that_could_start_a_formula_are_kept_as_text():
    assert [export.cell(v) for v in ("=SUM(A1)", "+1", "-2", "@x", "\tx", "lead1", None, 3)] == [
        "'=SUM(A1)", "'+1", "'-2", "'@x", "'\tx", "lead1", "", "3"]
