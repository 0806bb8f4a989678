"""Report figures are a pure function of plain data: tested here without a database or request."""

from datetime import date, datetime
from random import Random

import pytest

from companion import agreement
from companion.content import load_content
from companion.reports import charts
from companion.reports.data import (
    CaptureRow,
    ClientRow,
    DimensionRow,
    MeetingRow,
    MilestoneRow,
    PairRow,
    PhaseChangeRow,
    ReportData,
)
from companion.reports.figures import Headline, MeetingMarks, RatingPoint, monthly_figures, phase_at
from companion.reports.months import MonthError, next_month, parse_month, previous_month
from companion.reports.render import format_minutes

VOCABULARY = load_content().vocabulary
OCTOBER = date(2026, 10, 1)
LONG_AGO = datetime(2026, 1, 1)


def _client(client_id, code, phase="first_meetings", created=LONG_AGO):
    return ClientRow(client_id, code, phase, created)


def _capture(meeting_id, author_id, marks=(), ratings=(None, None, None), delay=30,
             attendance="held"):
    return CaptureRow(meeting_id, author_id, attendance, tuple(marks), *ratings, delay)


def _data(**rows) -> ReportData:
    return ReportData(team_id=1, team_name="Team A", month=OCTOBER, **rows)


def test_meetings_are_counted_by_attendance():
    meetings = tuple(
        MeetingRow(n, 1, date(2026, 10, n), attendance)
        for n, attendance in enumerate(["held", "held", "cut_short", "no_show", "cancelled"], 1)
    )
    figures = monthly_figures(_data(clients=(_client(1, "A-1"),), meetings=meetings), VOCABULARY)
    assert figures.headline.meetings == {"held": 2, "cut_short": 1, "no_show": 1, "cancelled": 1}
    assert figures.has_data


def test_phase_at_month_end_comes_from_the_phase_history():
    client = _client(1, "A-1", phase="crisis")
    history = [
        PhaseChangeRow(1, None, "first_meetings", datetime(2026, 8, 1)),
        PhaseChangeRow(1, "first_meetings", "change_work", datetime(2026, 10, 20)),
        PhaseChangeRow(1, "change_work", "crisis", datetime(2026, 11, 3)),
    ]
    assert phase_at(client, history, datetime(2026, 11, 1)) == "change_work"
    assert phase_at(client, history, datetime(2026, 7, 1)) == "before_first_meeting"
    assert phase_at(client, [], datetime(2026, 11, 1)) == "crisis"


def test_clients_per_phase_phase_changes_and_crises_opened():
    later = datetime(2026, 12, 1)
    clients = (_client(1, "A-1"), _client(2, "A-2"), _client(3, "A-3", created=later))
    changes = (
        PhaseChangeRow(1, None, "first_meetings", datetime(2026, 9, 1)),
        PhaseChangeRow(1, "first_meetings", "crisis", datetime(2026, 10, 5)),
        PhaseChangeRow(2, None, "first_meetings", datetime(2026, 9, 1)),
        PhaseChangeRow(2, "first_meetings", "change_work", datetime(2026, 10, 30, 23)),
        PhaseChangeRow(2, "change_work", "crisis", datetime(2026, 11, 2)),
    )
    headline = monthly_figures(_data(clients=clients, phase_changes=changes), VOCABULARY).headline
    assert headline.clients_per_phase == {
        "before_first_meeting": 0, "first_meetings": 0, "change_work": 1, "crisis": 1,
    }
    assert headline.phase_changes == 2
    assert headline.crises_opened == 1


def test_captures_and_median_delay():
    captures = (_capture(1, 10, delay=10), _capture(1, 11, delay=50), _capture(2, 10, delay=200))
    meetings = (MeetingRow(1, 1, date(2026, 10, 2), "held"), MeetingRow(2, 1, date(2026, 10, 9),
                                                                        "held"))
    figures = monthly_figures(
        _data(clients=(_client(1, "A-1"),), meetings=meetings, captures=captures), VOCABULARY
    )
    assert figures.headline.captures == 3
    assert figures.headline.median_delay_minutes == 50


def test_a_client_block_merges_the_two_workers_ticks_per_meeting():
    meetings = (MeetingRow(1, 1, date(2026, 10, 2), "held"),
                MeetingRow(2, 1, date(2026, 10, 9), "no_show"))
    captures = (
        _capture(1, 10, ["relaxed", "hostility", "open_questions"], (4, 3, 5)),
        _capture(1, 11, ["relaxed", "fewer_lies"], (2, 3, None)),
    )
    block, = monthly_figures(
        _data(clients=(_client(1, "A-1"),), meetings=meetings, captures=captures), VOCABULARY
    ).clients
    assert block.meetings == (
        MeetingMarks(date(2026, 10, 2), "held", readiness=2, warnings=1, captured=True),
        MeetingMarks(date(2026, 10, 9), "no_show", readiness=0, warnings=0, captured=False),
    )
    assert [(c.id, c.count) for c in block.warnings] == [("hostility", 1)]
    assert {c.id for c in block.readiness} == {"relaxed", "fewer_lies"}
    assert (block.ratings[0].goals, block.ratings[0].tasks, block.ratings[0].bond) == (3, 3, 5)


def test_milestones_and_dimension_ratings_belong_to_their_client():
    data = _data(
        clients=(_client(1, "A-1"), _client(2, "A-2")),
        milestones=(MilestoneRow(2, "Reconnect with family", date(2026, 10, 12)),),
        ratings=(DimensionRow(2, "2026-10", (3, 4, 4, 2, 3)),
                 DimensionRow(2, "2026-09", (2, 4, 4, 2, 3))),
    )
    first, second = monthly_figures(data, VOCABULARY).clients
    assert first.milestones == () and first.dimensions is None
    assert second.milestones == ((date(2026, 10, 12), "Reconnect with family"),)
    assert second.dimensions == (3, 4, 4, 2, 3) and second.previous_dimensions[0] == 2


def test_pair_agreement_uses_meetings_both_workers_captured_as_taking_place():
    captures = (
        _capture(1, 10, ["relaxed", "hostility", "affirmed"]),
        _capture(1, 11, ["relaxed", "affirmed", "judged"]),
        _capture(2, 10, ["relaxed"]),  # only one of the pair captured it
        _capture(3, 10, ["relaxed"]), _capture(3, 11, [], attendance="no_show"),
    )
    data = _data(captures=captures, pairs=(PairRow(10, 11),), usernames={10: "w1", 11: "w2"})
    pair, = monthly_figures(data, VOCABULARY).pairs
    observed = len(VOCABULARY.readiness) + len(VOCABULARY.warning)
    assert pair.names == ("w1", "w2") and pair.meetings == 1
    assert pair.percent == round(100 * (observed - 1) / observed, 1)
    assert pair.kappa is None and "fewer than 5" in pair.kappa_note
    (label, percent, rare), = pair.least_agreed
    assert (label, percent, rare.note) == ("Hostility or fury", 0.0, "not enough data")


def test_pair_agreement_equals_the_shared_agreement_module():
    rng = Random(3)
    observed = [m.id for m in (*VOCABULARY.readiness, *VOCABULARY.warning)]
    captures, expected = [], []
    for meeting in range(12):
        first, second = set(rng.sample(observed, 4)), set(rng.sample(observed, 4))
        captures += [_capture(meeting, 10, sorted(first)), _capture(meeting, 11, sorted(second))]
        expected.append((first, second))
    data = _data(captures=tuple(captures), pairs=(PairRow(10, 11),))
    pair, = monthly_figures(data, VOCABULARY).pairs
    pooled = agreement.overall_agreement(expected, observed)
    assert (pair.meetings, pair.percent, pair.kappa) == (12, pooled.agreement_pct, pooled.kappa)
    assert pair.kappa is not None


def test_a_pair_without_shared_captures_is_left_out():
    data = _data(captures=(_capture(1, 10, ["relaxed"]),), pairs=(PairRow(10, 11),))
    assert monthly_figures(data, VOCABULARY).pairs == ()


def test_practice_counts_moves_and_slips_per_capture():
    captures = (_capture(1, 10, ["affirmed", "judged", "relaxed"]), _capture(2, 10, ["affirmed"]))
    practice = monthly_figures(_data(captures=captures), VOCABULARY).practice
    assert practice.captures == 2
    assert (practice.moves[0].id, practice.moves[0].count) == ("affirmed", 2)
    assert {m.id for m in practice.moves} == {m.id for m in VOCABULARY.move}
    assert (practice.slips[0].id, practice.slips[0].count) == ("judged", 1)


def test_worth_a_look_names_crises_repeated_warnings_no_shows_and_unmet_clients():
    clients = (_client(1, "A-1"), _client(2, "A-2"), _client(3, "A-3"),
               _client(4, "A-4", phase="before_first_meeting"))
    meetings = (
        MeetingRow(1, 1, date(2026, 10, 1), "held"), MeetingRow(2, 1, date(2026, 10, 8), "held"),
        MeetingRow(3, 2, date(2026, 10, 1), "no_show"),
        MeetingRow(4, 2, date(2026, 10, 8), "no_show"),
    )
    captures = (_capture(1, 10, ["hostility"]), _capture(2, 10, ["distrust", "judged"]))
    changes = (PhaseChangeRow(1, "first_meetings", "crisis", datetime(2026, 10, 8, 12)),)
    look = monthly_figures(_data(clients=clients, meetings=meetings, captures=captures,
                                 phase_changes=changes), VOCABULARY).attention
    assert look.crises == (("A-1", date(2026, 10, 8)),)
    assert look.crisis_warnings == (("A-1", 2),)  # in crisis: named with the crisis
    assert look.warnings == () and look.no_shows == (("A-2", 2),)
    assert look.unmet == ("A-3",)  # A-4 has not had a first meeting yet
    assert [(c.id, c.count) for c in look.slips] == [("judged", 1)]
    quiet = monthly_figures(_data(clients=(_client(1, "A-1"),), meetings=meetings[:1]),
                            VOCABULARY).attention
    assert not quiet


def test_unknown_marker_ids_are_ignored():
    captures = (_capture(1, 10, ["retired_marker"]),)
    practice = monthly_figures(_data(captures=captures), VOCABULARY).practice
    assert all(count.count == 0 for count in practice.moves + practice.slips)


def test_a_month_without_anything_has_no_data():
    figures = monthly_figures(_data(clients=(_client(1, "A-1"),)), VOCABULARY)
    assert not figures.has_data and not figures.from_aggregate


def test_headline_survives_a_round_trip_through_json():
    headline = Headline({"held": 3, "cut_short": 1, "no_show": 0, "cancelled": 2},
                        {"before_first_meeting": 1, "first_meetings": 2, "change_work": 0,
                         "crisis": 1}, 2, 1, 5, 42.5)
    assert Headline.from_dict(headline.to_dict()) == headline


def test_a_stored_aggregate_replaces_purged_captures():
    stored = Headline({"held": 7, "cut_short": 0, "no_show": 1, "cancelled": 0},
                      {"before_first_meeting": 0, "first_meetings": 3, "change_work": 1,
                       "crisis": 0}, 1, 0, 9, 30).to_dict()
    figures = monthly_figures(_data(aggregate=stored), VOCABULARY)
    assert figures.from_aggregate and figures.has_data
    assert figures.headline.meetings["held"] == 7 and figures.headline.captures == 9
    assert figures.clients == () and figures.practice is None


def test_live_captures_win_over_a_stored_aggregate():
    stored = Headline.from_dict({}).to_dict()
    figures = monthly_figures(_data(captures=(_capture(1, 10),), aggregate=stored), VOCABULARY)
    assert not figures.from_aggregate and figures.headline.captures == 1


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-10", "2026-1", "2026/10", "",
                                  "1999-12", "2026-10-01", "２０２６-10", "2026-10\n"])
def test_bad_month_strings_are_refused(text):
    with pytest.raises(MonthError):
        parse_month(text)


def test_months_step_across_the_year():
    assert parse_month("2026-12") == date(2026, 12, 1)
    assert next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert previous_month(date(2027, 1, 1)) == date(2026, 12, 1)


@pytest.mark.parametrize(("minutes", "text"), [(35, "35 min"), (125, "2 h 05 min"),
                                               (3000, "2 d 2 h")])
def test_delays_read_in_minutes_hours_or_days(minutes, text):
    assert format_minutes(minutes) == text


def test_charts_do_not_rely_on_colour_alone():
    strip = charts.marker_strip(
        [MeetingMarks(date(2026, 10, 2), "held", 3, 2, True),
         MeetingMarks(date(2026, 10, 9), "no_show", 0, 0, False)], "strip")
    assert strip.count("<path") >= 3 and 'fill="#fff"' in strip  # striped, not coloured
    assert ">3229<" in strip  # counts and days written out: 3 and 2 on the 2nd, 9th
    ratings = charts.rating_chart([RatingPoint(date(2026, 10, 2), 4, 3, None),
                                   RatingPoint(date(2026, 10, 9), 5, 2, 1)], "ratings")
    assert 'stroke-dasharray="5 3"' in ratings and 'stroke-dasharray="1.5 2.5"' not in ratings
    assert 'stroke-dasharray="1.5 2.5"' in charts.series_sample("bond")
    assert 'fill="#fff"' in charts.bar(2, 4, "slips", striped=True)


def test_chart_labels_are_escaped():
    chart = charts.bar(2, 4, 'a <label> "quoted"')
    assert "<label>" not in chart and 'aria-label="a &lt;label&gt; &#34;quoted&#34;"' in chart
