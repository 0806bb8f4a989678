"""The comparison of two captures, on hand-built pairs: no database, no request."""

from types import SimpleNamespace

import pytest

from companion.content import READINESS_IDS, WARNING_IDS, PromptError, load_prompts
from companion.content.debrief_prompts import SHIPPED
from companion.debriefs import comparison
from companion.debriefs.comparison import Disagreement, RatingRow, Seen, compare

OBSERVED = READINESS_IDS + WARNING_IDS


def seen(marks=(), attendance="held", length=75, goals=3, tasks=3, bond=3):
    ratings = {"goals": goals, "tasks": tasks, "bond": bond}
    return Seen(frozenset(marks), attendance, length, ratings)


def test_markers_fall_into_both_only_mine_and_only_theirs():
    mine = seen({"relaxed", "change_talk_up", "hostility"})
    theirs = seen({"relaxed", "fewer_lies", "distrust"})
    result = compare(mine, theirs, OBSERVED)
    assert result.both == ("relaxed",)
    assert result.only_mine == ("change_talk_up", "hostility")
    assert result.only_theirs == ("fewer_lies", "distrust")


def test_markers_keep_the_vocabulary_order_whatever_order_they_were_ticked_in():
    result = compare(seen({"distrust", "relaxed", "concrete_plans"}), seen(), OBSERVED)
    assert result.only_mine == ("relaxed", "concrete_plans", "distrust")


def test_practice_marks_outside_the_observed_markers_are_not_compared():
    result = compare(seen({"relaxed", "affirm", "talked_offence"}), seen({"affirm"}), OBSERVED)
    assert result.both == ()
    assert result.only_mine == ("relaxed",)


def test_identical_captures_have_no_disagreement():
    capture = seen({"relaxed", "mirroring"}, goals=4, tasks=2, bond=5)
    result = compare(capture, capture, OBSERVED)
    assert result.disagreements == ()
    assert result.both == ("relaxed", "mirroring")


@pytest.mark.parametrize(("mine", "theirs", "differs"), [
    (3, 3, False), (3, 4, False), (4, 2, True), (1, 5, True), (None, 5, False), (2, None, False),
])
def test_ratings_differ_when_two_or_more_apart_and_both_given(mine, theirs, differs):
    result = compare(seen(bond=mine), seen(bond=theirs), OBSERVED)
    row = result.ratings[2]
    assert (row.dimension, row.mine, row.theirs, row.differs) == ("bond", mine, theirs, differs)


def test_ratings_are_shown_side_by_side_for_all_three_dimensions():
    result = compare(seen(goals=5, tasks=1, bond=3), seen(goals=4, tasks=3, bond=3), OBSERVED)
    assert result.ratings == (
        RatingRow("goals", 5, 4), RatingRow("tasks", 1, 3), RatingRow("bond", 3, 3),
    )
    assert [r.dimension for r in result.ratings if r.differs] == ["tasks"]


def test_attendance_disagreement_is_reported_with_both_values():
    result = compare(seen(attendance="held"), seen(attendance="cut_short"), OBSERVED)
    assert result.attendance == ("held", "cut_short")


def test_lengths_ten_or_more_minutes_apart_disagree_and_closer_ones_do_not():
    assert compare(seen(length=75), seen(length=66), OBSERVED).length is None
    assert compare(seen(length=75), seen(length=65), OBSERVED).length == (75, 65)


def test_every_kind_of_disagreement_is_listed_for_discussion_in_order():
    mine = seen({"relaxed"}, attendance="held", length=90, goals=5)
    theirs = seen({"hostility"}, attendance="cut_short", length=40, goals=2)
    assert compare(mine, theirs, OBSERVED).disagreements == (
        Disagreement("only_mine", "relaxed"),
        Disagreement("only_theirs", "hostility"),
        Disagreement("rating", "goals", 5, 2),
        Disagreement("attendance", None, "held", "cut_short"),
        Disagreement("length", None, 90, 40),
    )


def test_the_partner_sees_the_mirror_image():
    mine = seen({"relaxed", "fewer_lies"}, length=90, goals=5, attendance="held")
    theirs = seen({"relaxed", "hostility"}, length=40, goals=1, attendance="cut_short")
    assert compare(mine, theirs, OBSERVED).mirrored() == compare(theirs, mine, OBSERVED)


def test_seen_reads_a_capture_like_object():
    capture = SimpleNamespace(marks=["relaxed"], attendance="held", length_minutes=60,
                              rating_goals=4, rating_tasks=None, rating_bond=2)
    assert Seen.of(capture) == Seen(frozenset({"relaxed"}), "held", 60,
                                    {"goals": 4, "tasks": None, "bond": 2})


def _label(kind, value):
    return value.replace("_", " ") if kind == "marker" else str(value)


def _category(marker):
    return "warning" if marker in WARNING_IDS else "readiness"


def test_each_kind_of_disagreement_has_its_own_prompt_with_the_words_filled_in():
    prompts = load_prompts()
    mine = seen({"change_talk_up"}, length=90, goals=5, attendance="held")
    theirs = seen({"hostility"}, length=40, goals=2, attendance="cut_short")
    texts = [comparison.prompt_for(d, prompts, _category, _label)
             for d in compare(mine, theirs, OBSERVED).disagreements]
    assert texts[0].startswith("You ticked “change talk up” and your partner did not.")
    assert texts[1].startswith("Your partner noted “hostility” and you did not.")
    assert texts[2].startswith("You rated goals 5, your partner 2.")
    assert "“held”" in texts[3] and "“cut_short”" in texts[3]
    assert texts[4].startswith("You recorded 90 minutes, your partner 40.")
    assert not any("{" in text for text in texts)


def test_warnings_and_readiness_markers_get_different_prompts():
    prompts = load_prompts()
    warning = comparison.prompt_for(Disagreement("only_mine", "distrust"), prompts, _category,
                                    _label)
    readiness = comparison.prompt_for(Disagreement("only_mine", "relaxed"), prompts, _category,
                                      _label)
    assert warning != readiness.replace("relaxed", "distrust")


def test_a_prompts_file_missing_a_key_is_refused_with_its_name(tmp_path):
    path = tmp_path / "debrief_prompts.toml"
    path.write_text('rating = "Why?"\n')
    with pytest.raises(PromptError, match="only_mine_readiness"):
        load_prompts(path)


def test_a_prompts_file_with_an_unknown_key_is_refused(tmp_path):
    path = tmp_path / "debrief_prompts.toml"
    text = SHIPPED.read_text() + 'surprise = "Boo"\n'
    path.write_text(text)
    with pytest.raises(PromptError, match="surprise"):
        load_prompts(path)


def test_a_prompts_file_that_is_not_toml_is_refused(tmp_path):
    path = tmp_path / "debrief_prompts.toml"
    path.write_text("rating = \n")
    with pytest.raises(PromptError, match="cannot read"):
        load_prompts(path)
