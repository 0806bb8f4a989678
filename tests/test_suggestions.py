"""Phase suggestion rules as plain functions over hand-built histories."""

from datetime import date, timedelta

from flask_babel import force_locale

from companion import suggestions
from companion.suggestions import Observation, merge_meetings, rating_drops, suggest

TODAY = date(2025, 11, 20)
CHANGE = {"change_talk_up"}
LIFE = {"life_after_release"}


def history(*meetings, author="w1", start_id=1):
    """Captures one week apart, the last one yesterday; each item is a set of marks, a
    (marks, attendance) pair or a dict of Observation fields."""
    observations = []
    for number, item in enumerate(meetings):
        fields = {"marks": set(), "attendance": "held"}
        if isinstance(item, set):
            fields["marks"] = item
        elif isinstance(item, tuple):
            fields["marks"], fields["attendance"] = item
        else:
            fields |= item
        days_ago = 1 + 7 * (len(meetings) - 1 - number)
        observations.append(Observation(
            capture_id=start_id + number, meeting_id=start_id + number, author=author,
            held_on=TODAY - timedelta(days=days_ago), attendance=fields.pop("attendance"),
            marks=frozenset(fields.pop("marks")), **fields,
        ))
    return observations


def test_empty_history_in_first_meetings_says_stay_with_a_reason():
    suggestion = suggest("first_meetings", [], TODAY)
    assert suggestion.kind == "stay" and not suggestion.actionable
    assert suggestion.reasons and suggestion.last_capture_id is None
    assert suggestion.flags == ()


def test_empty_history_in_every_phase_never_suggests_a_change():
    for phase in ("before_first_meeting", "first_meetings", "change_work", "crisis"):
        assert suggest(phase, [], TODAY).kind == "stay"


def test_before_the_first_meeting_moves_to_first_meetings_once_a_meeting_is_held():
    suggestion = suggest("before_first_meeting", history(set()), TODAY)
    assert (suggestion.kind, suggestion.to_phase) == ("move", "first_meetings")
    assert tuple(map(str, suggestion.reasons)) == ("first meeting held on 19 Nov",)


def test_before_the_first_meeting_a_no_show_is_not_a_first_meeting():
    suggestion = suggest("before_first_meeting", history((set(), "no_show")), TODAY)
    assert suggestion.kind == "stay"


def test_readiness_exactly_at_the_thresholds_suggests_change_work_with_reasons():
    captures = history(CHANGE | LIFE, CHANGE, {"relaxed"}, CHANGE | {"family_contact"})
    suggestion = suggest("first_meetings", captures, TODAY)
    assert (suggestion.kind, suggestion.to_phase) == ("move", "change_work")
    assert tuple(map(str, suggestion.reasons)) == (
        "change talk in 3 of the last 4 meetings",
        "talk about life after release in 2 of the last 4 meetings",
        "no warning signs so far",
    )
    assert suggestion.last_capture_id == 4


def test_one_change_talk_short_of_the_threshold_stays_and_says_what_is_needed():
    captures = history(CHANGE | LIFE, {"relaxed"}, {"relaxed"}, CHANGE | LIFE)
    suggestion = suggest("first_meetings", captures, TODAY)
    assert suggestion.kind == "stay"
    assert str(suggestion.reasons[0]) == "change talk in 2 of the last 4 meetings (3 needed)"


def test_one_talk_of_life_after_release_is_not_enough():
    captures = history(CHANGE, CHANGE, CHANGE, CHANGE | LIFE)
    suggestion = suggest("first_meetings", captures, TODAY)
    assert suggestion.kind == "stay"
    assert str(suggestion.reasons[1]) == (
        "talk about life after release in 1 of the last 4 meetings (2 needed)"
    )


def test_sustain_talk_down_counts_as_change_talk():
    captures = history({"sustain_talk_down"} | LIFE, {"sustain_talk_down"}, CHANGE | LIFE)
    assert suggest("first_meetings", captures, TODAY).kind == "move"


def test_only_the_last_four_meetings_held_count():
    old_signs = [CHANGE | LIFE] * 3
    captures = history(*old_signs, set(), set(), set(), CHANGE | LIFE)
    assert suggest("first_meetings", captures, TODAY).kind == "stay"


def test_a_warning_sign_resets_the_readiness_count():
    ready = [CHANGE | LIFE] * 4
    warned = history(*ready, {"distrust"})
    suggestion = suggest("first_meetings", warned, TODAY)
    assert suggestion.kind == "stay"
    assert tuple(map(str, suggestion.reasons)) == (
        "warning signs on 19 Nov: distrust",
        "readiness is counted again from the next meeting held",
    )
    later = history(*ready, {"distrust"}, CHANGE | LIFE, CHANGE | LIFE)
    assert suggest("first_meetings", later, TODAY).kind == "stay"
    enough = history(*ready, {"distrust"}, CHANGE | LIFE, CHANGE | LIFE, CHANGE)
    suggestion = suggest("first_meetings", enough, TODAY)
    assert suggestion.kind == "move"
    assert tuple(map(str, suggestion.reasons)) == (
        "change talk in 3 of the last 3 meetings",
        "talk about life after release in 2 of the last 3 meetings",
        "no warning signs since 29 Oct",
    )


def test_hostility_in_the_latest_meeting_suggests_the_crisis_card():
    captures = history(CHANGE | LIFE, {"hostility"})
    suggestion = suggest("first_meetings", captures, TODAY)
    assert (suggestion.kind, suggestion.to_phase) == ("crisis", "crisis")
    assert tuple(map(str, suggestion.reasons)) == ("hostility in the meeting on 19 Nov",)


def test_talk_of_quitting_in_change_work_suggests_the_crisis_card():
    suggestion = suggest("change_work", history(set(), {"talk_of_quitting"}), TODAY)
    assert suggestion.kind == "crisis"
    assert tuple(map(str, suggestion.reasons)) == ("talk of quitting in the meeting on 19 Nov",)


def test_hostility_followed_by_a_calm_meeting_no_longer_suggests_a_crisis():
    suggestion = suggest("change_work", history({"hostility"}, {"relaxed"}), TODAY)
    assert suggestion.kind == "stay"


def test_two_no_shows_in_a_row_suggest_the_crisis_card():
    captures = history(set(), (set(), "no_show"), (set(), "no_show"))
    suggestion = suggest("change_work", captures, TODAY)
    assert suggestion.kind == "crisis"
    assert tuple(map(str, suggestion.reasons)) == ("2 no-shows in a row (12 Nov and 19 Nov)",)


def test_two_no_shows_not_in_a_row_are_no_crisis():
    captures = history((set(), "no_show"), set(), (set(), "no_show"))
    assert suggest("change_work", captures, TODAY).kind == "stay"


def test_a_cancelled_meeting_does_not_break_a_run_of_no_shows():
    captures = history((set(), "no_show"), (set(), "cancelled"), (set(), "no_show"))
    assert suggest("first_meetings", captures, TODAY).kind == "crisis"


def test_one_no_show_alone_is_no_crisis():
    assert suggest("change_work", history((set(), "no_show")), TODAY).kind == "stay"


def test_crisis_calming_down_suggests_going_back_to_the_phase_before():
    captures = history({"hostility"}, {"relaxed"}, CHANGE)
    suggestion = suggest("crisis", captures, TODAY, phase_before_crisis="change_work")
    assert (suggestion.kind, suggestion.to_phase) == ("back", "change_work")
    assert tuple(map(str, suggestion.reasons)) == (
        "2 calm meetings in a row (12 Nov and 19 Nov): held, no warning signs",
    )


def test_crisis_calming_down_goes_back_to_first_meetings_when_the_phase_before_is_unknown():
    captures = history(set(), set())
    assert suggest("crisis", captures, TODAY).to_phase == "first_meetings"
    before_first = suggest("crisis", captures, TODAY, phase_before_crisis="before_first_meeting")
    assert before_first.to_phase == "first_meetings"


def test_crisis_with_one_calm_meeting_stays():
    suggestion = suggest("crisis", history({"hostility"}, set()), TODAY)
    assert suggestion.kind == "stay"
    assert tuple(map(str, suggestion.reasons)) == ("warning signs on 12 Nov: hostility",)


def test_crisis_after_a_no_show_stays():
    suggestion = suggest("crisis", history(set(), (set(), "no_show")), TODAY)
    assert tuple(map(str, suggestion.reasons)) == ("no-show on 19 Nov",)


def test_crisis_counts_only_meetings_since_the_crisis_began():
    captures = history(set(), set(), {"hostility"})
    since = TODAY - timedelta(days=1)
    suggestion = suggest("crisis", captures, TODAY, phase_since=since)
    assert suggestion.kind == "stay"
    assert tuple(map(str, suggestion.reasons)) == ("1 of 2 calm meetings since the crisis began",)


def test_meetings_older_than_the_lookback_are_ignored():
    captures = history(CHANGE | LIFE, CHANGE | LIFE, CHANGE)
    late = TODAY + timedelta(days=suggestions.LOOKBACK_DAYS + 30)
    suggestion = suggest("first_meetings", captures, late)
    assert suggestion.kind == "stay" and suggestion.last_capture_id is None


def test_dates_in_another_year_name_the_year():
    captures = history(set())
    suggestion = suggest("before_first_meeting", captures, date(2026, 1, 5))
    assert tuple(map(str, suggestion.reasons)) == ("first meeting held on 19 Nov 2025",)


def test_a_paired_meeting_joins_both_workers_marks():
    first = history(CHANGE, CHANGE, CHANGE, author="w1")
    second = history(LIFE, set(), LIFE, author="w2")
    merged = merge_meetings(first + second)
    assert len(merged) == 3
    assert merged[0].marks == frozenset(CHANGE | LIFE)
    assert suggest("first_meetings", first + second, TODAY).kind == "move"


def test_a_paired_meeting_is_held_if_either_worker_says_so():
    first = history((set(), "no_show"), (set(), "no_show"), author="w1")
    second = history((set(), "held"), (set(), "no_show"), author="w2")
    assert merge_meetings(first + second)[1].attendance == "held"
    assert suggest("change_work", first + second, TODAY).kind == "stay"


def ratings(goals, tasks, bond):
    return {"goals": goals, "tasks": tasks, "bond": bond}


def test_a_rating_drop_of_exactly_one_point_is_flagged():
    captures = history(ratings(4, 4, 4), ratings(4, 4, 3))
    assert tuple(map(str, rating_drops(captures))) == (
        "Alliance rating by w1 fell since the previous meeting: bond 4 → 3",
    )


def test_a_drop_of_the_mean_by_one_is_flagged_with_each_dimension():
    captures = history(ratings(5, 4, 4), ratings(4, 3, 3))
    assert tuple(map(str, rating_drops(captures))) == (
        "Alliance rating by w1 fell since the previous meeting: "
        "mean 4.3 → 3.3, goals 5 → 4, tasks 4 → 3, bond 4 → 3",
    )


def test_a_drop_of_less_than_one_point_is_not_flagged():
    assert rating_drops(history(ratings(5, 5, 5), ratings(5, 5, 5), ratings(5, 5, 4))) != ()
    assert tuple(map(str, rating_drops(history(ratings(5, 4, 4), ratings(5, 4, 5))))) == ()
    assert tuple(map(str, rating_drops(history(ratings(4, 4, 4), ratings(5, 5, 5))))) == ()


def test_missing_ratings_are_skipped_not_read_as_zero():
    assert tuple(map(str, rating_drops(history(ratings(4, 4, 4), ratings(None, None, None))))) == ()
    skipped = history(ratings(5, 5, 5), ratings(None, None, None), ratings(4, 5, 5))
    assert tuple(map(str, rating_drops(skipped))) == (
        "Alliance rating by w1 fell since the previous meeting: goals 5 → 4",
    )
    partial = history(ratings(4, None, 4), ratings(None, 4, 4))
    assert tuple(map(str, rating_drops(partial))) == ()


def test_only_a_drop_in_the_latest_meeting_is_flagged():
    captures = history(ratings(5, 5, 5), ratings(3, 3, 3), ratings(None, None, None))
    assert tuple(map(str, rating_drops(captures))) == ()
    assert tuple(map(str, rating_drops([]))) == ()


def test_each_worker_is_compared_with_their_own_previous_rating():
    first = history(ratings(5, 5, 5), ratings(5, 5, 5), author="w1")
    second = history(ratings(3, 3, 3), ratings(3, 3, 3), author="w2")
    assert tuple(map(str, rating_drops(first + second))) == ()
    second = history(ratings(3, 3, 3), ratings(2, 3, 3), author="w2")
    assert tuple(map(str, rating_drops(first + second))) == (
        "Alliance rating by w2 fell since the previous meeting: goals 3 → 2",
    )


def test_the_rating_flag_travels_with_the_suggestion():
    suggestion = suggest("change_work", history(ratings(4, 4, 4), ratings(3, 4, 4)), TODAY)
    assert suggestion.kind == "stay" and len(suggestion.flags) == 1


def test_the_suggestion_key_names_kind_and_target():
    suggestion = suggest("change_work", history({"hostility"}), TODAY)
    assert suggestion.key == "crisis:crisis"
    assert suggest("change_work", [], TODAY).key == "stay:"


def test_reasons_are_worded_in_the_readers_language_with_plurals(app):
    ready = history(CHANGE | LIFE, CHANGE | LIFE, CHANGE)
    calm = history({"hostility"}, {"relaxed"}, CHANGE)
    with app.test_request_context(), force_locale("de"):
        assert tuple(map(str, suggest("first_meetings", ready, TODAY).reasons))[:2] == (
            "Rede über Veränderung in 3 der letzten 3 Treffen",
            "Gespräch über das Leben nach der Entlassung in 2 der letzten 3 Treffen")
        assert str(suggest("crisis", calm, TODAY).reasons[0]) == (
            "2 ruhige Treffen in Folge (12 Nov. und 19 Nov.): stattgefunden, keine Warnzeichen")
        one = history(CHANGE)
        assert str(suggest("first_meetings", one, TODAY).reasons[0]) == (
            "Rede über Veränderung in 1 von dem einen Treffen seitdem (3 nötig)")
