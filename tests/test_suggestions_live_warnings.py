"""Warning signs stay live until a later meeting's capture answers them, in whatever order the
meetings were captured; the rules read meetings in meeting order (issue 12, defect 3)."""

from datetime import date, datetime, time

from companion.suggestions import Observation, live_warnings, merge_meetings, suggest

TODAY = date(2025, 12, 1)


def _capture(number, day, recorded, marks=(), attendance="held", starts=time(10)):
    return Observation(capture_id=number, meeting_id=number, author="w1", held_on=day,
                       attendance=attendance, marks=frozenset(marks), slot=(day, starts),
                       recorded_at=recorded)


def test_a_back_filled_warning_stays_live_after_a_later_meeting_captured_before_it():
    today = _capture(1, TODAY, datetime(2025, 12, 1, 11))
    back_filled = _capture(2, date(2025, 11, 27), datetime(2025, 12, 1, 12), {"talk_of_quitting"})
    meetings = merge_meetings([today, back_filled])
    assert [m.meeting_id for m in meetings] == [1, 2]  # meeting order, not capture order
    assert [m.meeting_id for m in live_warnings(meetings)] == [2]
    suggestion = suggest("change_work", [today, back_filled], TODAY)
    assert suggestion.kind == "crisis"
    assert tuple(map(str, suggestion.reasons)) == ("talk of quitting in the meeting on 27 Nov",)


def test_a_later_meeting_captured_after_the_warning_answers_it():
    warned = _capture(1, date(2025, 11, 27), datetime(2025, 11, 27, 12), {"hostility"})
    calm = _capture(2, TODAY, datetime(2025, 12, 1, 12))
    assert live_warnings(merge_meetings([warned, calm])) == []
    suggestion = suggest("change_work", [warned, calm], TODAY)
    assert tuple(map(str, suggestion.reasons)) == ("no crisis signs in the latest meetings",)


def test_a_no_show_does_not_answer_a_warning():
    warned = _capture(1, date(2025, 11, 27), datetime(2025, 11, 27, 12), {"hostility"})
    missed = _capture(2, TODAY, datetime(2025, 12, 1, 12), attendance="no_show")
    assert [m.meeting_id for m in live_warnings(merge_meetings([warned, missed]))] == [1]


def test_two_meetings_on_one_day_are_read_in_start_time_order():
    morning = _capture(1, TODAY, datetime(2025, 12, 1, 16), {"hostility"}, starts=time(9))
    afternoon = _capture(2, TODAY, datetime(2025, 12, 1, 15), starts=time(14))
    meetings = merge_meetings([afternoon, morning])
    assert [m.meeting_id for m in meetings] == [2, 1]
    # the afternoon capture was saved before the morning's warning: it cannot answer it
    assert [m.meeting_id for m in live_warnings(meetings)] == [1]
