"""Monthly report v2 as pure functions of plain data: the six-month trend, each client against
last month, debrief figures, "Worth a look" early in a month and for a client in crisis, and the
supervision topics against companion.agreement."""

from datetime import date, datetime, timedelta

from companion import agreement
from companion.content import load_content
from companion.reports.data import (
    AssignmentRow,
    CaptureRow,
    ClientRow,
    DebriefRow,
    MeetingRow,
    PairRow,
    PhaseChangeRow,
    ReportData,
)
from companion.reports.figures import Headline, monthly_figures
from companion.reports.months import trend_months
from companion.reports.trend import trend_rows

VOCABULARY = load_content().vocabulary
OCTOBER = date(2026, 10, 1)
LONG_AGO = datetime(2026, 1, 1)
READY = [m.id for m in VOCABULARY.readiness]
WARN = [m.id for m in VOCABULARY.warning]


def _capture(meeting_id, author_id, marks=(), ratings=(None, None, None), delay=30,
             attendance="held", recorded=None):
    return CaptureRow(meeting_id, author_id, attendance, tuple(marks), *ratings, delay, recorded)


def _data(**rows) -> ReportData:
    rows.setdefault("trend_meetings", rows.get("meetings", ()))
    rows.setdefault("trend_captures", rows.get("captures", ()))
    return ReportData(team_id=1, team_name="Team A", month=OCTOBER, **rows)


def test_the_trend_window_is_this_month_and_the_five_before():
    assert trend_months(date(2026, 2, 1)) == (
        date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1),
        date(2026, 1, 1), date(2026, 2, 1))


def test_each_trend_month_counts_its_own_meetings_markers_ratings_and_on_time_captures():
    meetings = (
        MeetingRow(1, 1, date(2026, 9, 3), "held"), MeetingRow(2, 1, date(2026, 9, 10), "no_show"),
        MeetingRow(3, 1, date(2026, 10, 1), "held"), MeetingRow(4, 1, date(2026, 10, 8),
                                                                "cut_short"),
        MeetingRow(5, 1, date(2026, 10, 15), "held"),  # not captured: not in the means
    )
    captures = (
        _capture(1, 10, READY[:2] + WARN[:1], (2, 3, 4), delay=30),
        _capture(3, 10, READY[:3], (4, 4, 4), delay=24 * 60),
        _capture(3, 11, READY[2:5], (2, None, 5), delay=24 * 60 + 1),  # union: 5 markers
        _capture(4, 10, WARN[:2], (3, 3, 3), delay=10),
    )
    trend = monthly_figures(_data(clients=(ClientRow(1, "A-1", "change_work", LONG_AGO),),
                                  meetings=meetings[2:], captures=captures[1:],
                                  trend_meetings=meetings, trend_captures=captures),
                            VOCABULARY).trend
    assert [m.month for m in trend] == list(trend_months(OCTOBER))
    september, october = trend[-2], trend[-1]
    assert september.meetings == {"held": 1, "cut_short": 0, "no_show": 1, "cancelled": 0}
    assert (september.readiness_per_meeting, september.warning_meetings) == (2, 1)
    assert october.meetings == {"held": 2, "cut_short": 1, "no_show": 0, "cancelled": 0}
    assert october.readiness_per_meeting == 2.5  # (5 + 0) over the two captured meetings
    assert october.warning_meetings == 1
    assert october.ratings == {"goals": 3, "tasks": 3.5, "bond": 4}
    assert (october.captures, october.on_time) == (3, 2) and round(october.on_time_pct) == 67
    assert trend[0].captures == 0 and trend[0].readiness_per_meeting is None
    rows = {row.id: row for row in trend_rows(trend)}
    assert rows["held"].values[-2:] == (1, 2) and rows["on_time"].shown(None) == "–"
    assert rows["readiness"].shown(2.5) == "2.5" and rows["on_time"].shown(50) == "50 %"


def test_a_purged_month_in_the_trend_comes_from_its_aggregate():
    stored = Headline({"held": 9, "cut_short": 1, "no_show": 2, "cancelled": 0},
                      {}, 0, 0, 12, 40, readiness_per_meeting=1.5, warning_meetings=2,
                      ratings={"goals": 3.0, "tasks": 2.5, "bond": 4.0},
                      captures_on_time=11).to_dict()
    old = Headline({"held": 4}, {}, 0, 0, 4, 30).to_dict()
    del old["readiness_per_meeting"], old["captures_on_time"]  # as version 1 stored it
    trend = monthly_figures(_data(aggregates={"2026-08": stored, "2026-07": old}),
                            VOCABULARY).trend
    august, july = trend[-3], trend[-4]
    assert august.from_aggregate and august.meetings["held"] == 9
    assert (august.readiness_per_meeting, august.warning_meetings, august.on_time) == (1.5, 2, 11)
    assert august.ratings["tasks"] == 2.5
    assert july.meetings["held"] == 4 and july.readiness_per_meeting is None
    assert july.on_time is None and july.on_time_pct is None
    assert Headline.from_dict(stored).captures_on_time == 11


def test_each_client_shows_who_works_with_them_and_this_month_against_the_last():
    client = ClientRow(1, "A-1", "change_work", LONG_AGO)
    meetings = (MeetingRow(1, 1, date(2026, 9, 20), "held"),
                MeetingRow(2, 1, date(2026, 10, 2), "held"),
                MeetingRow(3, 1, date(2026, 10, 9), "held"))
    captures = (_capture(1, 10, WARN[:1], (2, 2, 2)), _capture(2, 10, READY[:2], (4, 4, 4)),
                _capture(3, 10, READY[:4], (5, 5, 5)))
    block, = monthly_figures(_data(
        clients=(client,), meetings=meetings[1:], captures=captures[1:],
        trend_meetings=meetings, trend_captures=captures,
        assignments=(AssignmentRow(1, "w1", "lead_worker"), AssignmentRow(1, "w2", "co_worker")),
    ), VOCABULARY).clients
    assert block.workers == (("w1", "lead_worker"), ("w2", "co_worker"))
    now, before = block.this_month, block.last_month
    assert (now.took_place, before.took_place) == (2, 1)
    assert (now.warning_meetings, before.warning_meetings) == (0, 1)
    assert (now.readiness_per_meeting, before.readiness_per_meeting) == (3, 0)
    assert (now.mean_rating, before.mean_rating) == (4.5, 2)


def test_debrief_figures_count_shared_meetings_closes_agreements_and_the_median_wait():
    meetings = tuple(MeetingRow(n, 1, date(2026, 10, n), "held") for n in (1, 2, 3, 4))
    at = datetime(2026, 10, 5, 12)
    captures = (
        _capture(1, 10, recorded=at), _capture(1, 11, recorded=at + timedelta(hours=1)),
        _capture(2, 10, recorded=at), _capture(2, 11, recorded=at),
        _capture(3, 10, recorded=at), _capture(3, 11, recorded=at, attendance="no_show"),
        _capture(4, 10, recorded=at),  # only one worker: not shared
    )
    debriefs = (
        DebriefRow(1, at, at + timedelta(hours=3), True),  # 2 h after the second capture
        DebriefRow(2, at, at + timedelta(hours=6), False),  # 6 h
        DebriefRow(3, at, None, False),  # not a shared meeting that took place for both
    )
    figures = monthly_figures(_data(meetings=meetings, captures=captures, debriefs=debriefs),
                              VOCABULARY).debriefs
    assert (figures.shared, figures.opened, figures.closed, figures.agreed) == (2, 2, 2, 1)
    assert figures.median_minutes_to_close == 240


def _one_client_month(today, phase="change_work", held_on=date(2026, 9, 28)):
    meetings = (MeetingRow(1, 1, held_on, "held"),)
    return _data(clients=(ClientRow(1, "A-1", phase, LONG_AGO),), trend_meetings=meetings,
                 today=today)


def test_early_in_the_month_no_meeting_yet_is_normal_and_not_listed():
    look = monthly_figures(_one_client_month(date(2026, 10, 1)), VOCABULARY).attention
    assert look.unmet == () and look.unseen == () and look.under_way and not look


def test_a_client_unseen_for_three_weeks_is_listed_while_the_month_is_under_way():
    look = monthly_figures(_one_client_month(date(2026, 10, 19)), VOCABULARY).attention
    assert look.unseen == (("A-1", date(2026, 9, 28)),) and look.unmet == ()
    never = monthly_figures(_data(clients=(ClientRow(1, "A-1", "change_work", LONG_AGO),),
                                  today=date(2026, 10, 2)), VOCABULARY).attention
    assert never.unseen == (("A-1", None),)


def test_once_the_month_is_over_no_meeting_in_it_is_listed():
    look = monthly_figures(_one_client_month(date(2026, 11, 1)), VOCABULARY).attention
    assert look.unmet == ("A-1",) and look.unseen == () and not look.under_way


def test_a_crisis_clients_single_warning_sign_is_worth_a_look():
    clients = (ClientRow(1, "A-1", "crisis", LONG_AGO), ClientRow(2, "A-2", "change_work",
                                                                   LONG_AGO))
    meetings = (MeetingRow(1, 1, date(2026, 10, 5), "held"),
                MeetingRow(2, 2, date(2026, 10, 5), "held"))
    captures = (_capture(1, 10, WARN[:1]), _capture(2, 10, WARN[:1]))
    changes = (PhaseChangeRow(1, "change_work", "crisis", datetime(2026, 9, 1)),)
    look = monthly_figures(_data(clients=clients, meetings=meetings, captures=captures,
                                 phase_changes=changes), VOCABULARY).attention
    assert look.crisis_warnings == (("A-1", 1),)
    assert look.warnings == ()  # one meeting with a warning sign is not repeated
    assert look.crises == ()  # the crisis opened before this month


def test_supervision_topics_and_pair_figures_equal_the_agreement_module():
    observed = [*READY, *WARN]
    shared = [({READY[0], WARN[0]}, {READY[0]}), ({READY[1]}, set()), ({READY[0]}, {READY[0]}),
              (set(), set()), ({WARN[0]}, set()), ({READY[1]}, {READY[1]})]
    captures = tuple(capture for n, (first, second) in enumerate(shared, 1)
                     for capture in (_capture(n, 10, first), _capture(n, 11, second)))
    meetings = tuple(MeetingRow(n, 1, date(2026, 10, n), "held") for n in range(1, 7))
    figures = monthly_figures(_data(meetings=meetings, captures=captures,
                                    pairs=(PairRow(10, 11),), usernames={10: "a", 11: "b"}),
                              VOCABULARY)
    labels = VOCABULARY.by_id
    for topic in figures.topics:
        marker = next(m for m in observed if labels[m].label == topic.label)
        table = agreement.table_for(shared, marker)
        assert topic.disagreements == table.first_only + table.second_only
        assert topic.figures == agreement.rare_figures(table)
    assert [t.label for t in figures.topics] == [labels[WARN[0]].label, labels[READY[1]].label]
    pair, = figures.pairs
    pooled = agreement.overall_agreement(shared, observed)
    assert pair.ac1 == round(agreement.gwet_ac1(pooled.table), 2)
    label, percent, rare = pair.least_agreed[0]
    assert rare == agreement.rare_figures(agreement.table_for(shared, WARN[0]))
