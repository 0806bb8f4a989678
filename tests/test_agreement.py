"""Percentage agreement and Cohen's kappa against worked examples."""

from fractions import Fraction

import pytest

from companion import agreement
from companion.agreement import Table, marker_agreement, overall_agreement


def pairs_from_table(marker, both, first_only, second_only, neither):
    """Shared meetings that put `marker` in the given cells of the 2x2 table."""
    return (
        [({marker}, {marker})] * both
        + [({marker}, set())] * first_only
        + [(set(), {marker})] * second_only
        + [(set(), set())] * neither
    )


def test_the_textbook_table_gives_po_070_pe_050_and_kappa_040():
    pairs = pairs_from_table("relaxed", 20, 5, 10, 15)
    table = agreement.table_for(pairs, "relaxed")
    assert table == Table(20, 5, 10, 15)
    assert agreement.observed_agreement(table) == Fraction(7, 10)
    assert agreement.chance_agreement(table) == Fraction(1, 2)
    [result] = marker_agreement(pairs, ["relaxed"])
    assert (result.n, result.agreement_pct, result.kappa, result.kappa_note) == (
        50, 70.0, 0.4, None
    )


@pytest.mark.parametrize(
    ("cells", "expected_kappa"),
    [
        ((45, 15, 25, 15), 0.13),  # po 0.60, pe 0.54
        ((25, 35, 5, 35), 0.26),  # po 0.60, pe 0.46
        ((10, 0, 0, 10), 1.0),
        ((0, 10, 10, 0), -1.0),
    ],
)
def test_kappa_matches_worked_examples(cells, expected_kappa):
    [result] = marker_agreement(pairs_from_table("m", *cells), ["m"])
    assert result.kappa == expected_kappa


def test_all_agree_with_both_ticks_and_blanks_is_100_percent_and_kappa_1():
    pairs = pairs_from_table("fewer_lies", 3, 0, 0, 3)
    [result] = marker_agreement(pairs, ["fewer_lies"])
    assert (result.agreement_pct, result.kappa, result.kappa_note) == (100.0, 1.0, None)


def test_all_disagree_is_0_percent_and_kappa_minus_1():
    pairs = pairs_from_table("hostility", 0, 4, 4, 0)
    [result] = marker_agreement(pairs, ["hostility"])
    assert result.agreement_pct == 0.0
    assert result.kappa == -1.0  # po 0, pe 0.5


def test_one_worker_always_ticking_and_the_other_never_gives_kappa_0():
    [result] = marker_agreement(pairs_from_table("m", 0, 6, 0, 0), ["m"])
    assert (result.agreement_pct, result.kappa) == (0.0, 0.0)


def test_kappa_is_undefined_when_neither_worker_ever_ticked_the_marker():
    pairs = pairs_from_table("feels_unsafe", 0, 0, 0, 8)
    [result] = marker_agreement(pairs, ["feels_unsafe"])
    assert result.agreement_pct == 100.0
    assert result.kappa is None
    assert result.kappa_note == agreement.NOTE_NO_VARIATION


def test_kappa_is_undefined_when_both_workers_ticked_it_every_time():
    [result] = marker_agreement(pairs_from_table("relaxed", 7, 0, 0, 0), ["relaxed"])
    assert (result.kappa, result.kappa_note) == (None, agreement.NOTE_NO_VARIATION)


def test_too_few_shared_meetings_gives_a_percentage_but_no_kappa():
    pairs = pairs_from_table("relaxed", 2, 1, 0, 1)
    [result] = marker_agreement(pairs, ["relaxed"])
    assert result.agreement_pct == 75.0
    assert result.kappa is None
    assert result.kappa_note == "fewer than 5 shared meetings"


def test_the_threshold_can_be_changed_by_the_caller():
    pairs = pairs_from_table("relaxed", 2, 1, 0, 1)
    [result] = marker_agreement(pairs, ["relaxed"], min_meetings=4)
    assert result.kappa == 0.5


def test_no_shared_meetings_gives_neither_figure():
    [result] = marker_agreement([], ["relaxed"])
    assert (result.n, result.agreement_pct, result.kappa) == (0, None, None)
    assert result.kappa_note == agreement.NOTE_NO_MEETINGS


def test_each_marker_is_counted_on_its_own_over_the_same_meetings():
    pairs = [
        ({"relaxed", "hostility"}, {"relaxed"}),
        ({"relaxed"}, {"relaxed", "distrust"}),
        (set(), set()),
    ]
    results = marker_agreement(pairs, ["relaxed", "hostility", "distrust"])
    assert [(r.marker, r.table) for r in results] == [
        ("relaxed", Table(2, 0, 0, 1)),
        ("hostility", Table(0, 1, 0, 2)),
        ("distrust", Table(0, 0, 1, 2)),
    ]
    assert [r.agreement_pct for r in results] == [100.0, 66.7, 66.7]


def test_overall_agreement_pools_every_marker_decision_but_counts_meetings():
    pairs = [({"a"}, {"a"}), ({"a", "b"}, {"a"}), (set(), {"b"}), (set(), set()), ({"b"}, {"b"})]
    result = overall_agreement(pairs, ["a", "b"])
    assert result.marker == agreement.ALL_MARKERS
    assert result.n == 5
    assert result.table == Table(both=3, first_only=1, second_only=1, neither=5)
    assert result.agreement_pct == 80.0
    # po = 8/10, p1 = p2 = 4/10, pe = 0.16 + 0.36 = 0.52, kappa = 0.28 / 0.48
    assert result.kappa == 0.58


def test_overall_agreement_needs_enough_meetings_not_enough_cells():
    pairs = [({"a"}, {"a"}), (set(), {"b"})]
    result = overall_agreement(pairs, ["a", "b", "c", "d"])
    assert result.table.n == 8
    assert result.kappa is None
    assert result.kappa_note == "fewer than 5 shared meetings"
