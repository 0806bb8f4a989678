"""Agreement figures that hold for rare markers, against the irrCAC package (Gwet's own
reference implementation in Python) on random tables and on the kappa-paradox tables."""

import math
import random
import warnings

import pandas as pd
import pytest
from irrCAC.table import CAC

from companion import agreement
from companion.agreement import Table
from tests.support.records import captured_month


def _reference(table: Table) -> dict:
    ratings = pd.DataFrame([[table.both, table.first_only], [table.second_only, table.neither]],
                           index=["yes", "no"], columns=["yes", "no"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy warns on 0/0 for tables with no variation
        cohen = CAC(ratings, digits=10).cohen()["est"]
        gwet = CAC(ratings, digits=10).gwet()["est"]
        bp = CAC(ratings, digits=10).bp()["est"]
    return {"kappa": cohen["coefficient_value"], "se": cohen["se"],
            "ac1": gwet["coefficient_value"], "pabak": bp["coefficient_value"],
            "pa": cohen["pa"]}


def _kappa(table: Table) -> float:
    po, pe = agreement.observed_agreement(table), agreement.chance_agreement(table)
    return float((po - pe) / (1 - pe))


def _random_tables(count: int, seed: int = 20261201):
    chooser = random.Random(seed)
    tables = []
    while len(tables) < count:
        n = chooser.randint(5, 80)
        rare = chooser.random() < 0.5  # half of them with a rare marker, as in practice
        weights = [1, 1, 1, 30] if rare else [3, 1, 1, 3]
        cells = [0, 0, 0, 0]
        for _ in range(n):
            cells[chooser.choices(range(4), weights)[0]] += 1
        table = Table(*cells)
        if agreement.chance_agreement(table) != 1 and agreement.prevalence(table) not in (0, 1):
            tables.append(table)
    return tables


def test_figures_match_the_reference_on_250_random_tables():
    tables = _random_tables(250)
    assert sum(1 for t in tables if agreement.prevalence(t) < 0.1) >= 50  # rare ones covered
    for table in tables:
        reference = _reference(table)
        assert float(agreement.observed_agreement(table)) == pytest.approx(reference["pa"])
        assert _kappa(table) == pytest.approx(reference["kappa"], abs=1e-9), table
        expected_se = reference["se"]
        if math.isnan(expected_se):  # the variance is 0 and rounds below it: sqrt fails
            expected_se = 0.0
        assert agreement.kappa_standard_error(table) == pytest.approx(expected_se,
                                                                      abs=1e-6), table
        assert agreement.gwet_ac1(table) == pytest.approx(reference["ac1"], abs=1e-9), table
        assert agreement.pabak(table) == pytest.approx(reference["pabak"], abs=1e-9), table


# Feinstein and Cicchetti (1990), "High agreement but low kappa: I": the same 85 % agreement
# gives kappa 0.70 with balanced ticks and 0.32 when one answer dominates (first paradox);
# with 60 % agreement, unequal marginals give the higher kappa (second paradox).
PARADOX = [
    (Table(40, 9, 6, 45), 0.85, 0.70),
    (Table(80, 10, 5, 5), 0.85, 0.32),
    (Table(45, 15, 25, 15), 0.60, 0.13),
    (Table(25, 35, 5, 35), 0.60, 0.26),
]


@pytest.mark.parametrize("table, po, kappa", PARADOX)
def test_the_kappa_paradox_tables_give_the_textbook_figures(table, po, kappa):
    figures = agreement.rare_figures(table)
    assert float(agreement.observed_agreement(table)) == pytest.approx(po)
    assert figures.kappa == pytest.approx(kappa, abs=0.005)
    assert figures.kappa_low < figures.kappa < figures.kappa_high
    reference = _reference(table)
    assert figures.ac1 == pytest.approx(reference["ac1"], abs=0.005)


def test_with_a_dominant_answer_ppos_and_pneg_show_where_the_agreement_is():
    figures = agreement.rare_figures(Table(80, 10, 5, 5))
    assert figures.ppos == pytest.approx(160 / 175, abs=0.005)
    assert figures.pneg == pytest.approx(10 / 25, abs=0.005)
    assert figures.ac1 > 0.8 > figures.kappa  # AC1 is not dragged down by the imbalance


def test_a_rare_marker_agreed_on_95_percent_of_meetings_can_have_kappa_near_zero():
    table = Table(both=0, first_only=1, second_only=1, neither=38)  # 40 meetings
    figures = agreement.rare_figures(table)
    assert float(agreement.observed_agreement(table)) == 0.95
    assert figures.kappa == pytest.approx(-0.03, abs=0.01)
    assert figures.ppos == 0 and figures.pneg == pytest.approx(0.97, abs=0.01)
    assert figures.ac1 > 0.9 and figures.pabak == pytest.approx(0.9)
    assert figures.prevalence == pytest.approx(0.03, abs=0.01)


def test_too_few_meetings_is_the_not_enough_data_state():
    figures = agreement.rare_figures(Table(1, 0, 0, 3))
    assert figures.note == agreement.NOTE_NOT_ENOUGH
    assert (figures.kappa, figures.ppos, figures.ac1, figures.prevalence) == (None,) * 4


def test_a_marker_no_one_ticked_has_no_ppos_and_no_kappa_but_has_ac1():
    figures = agreement.rare_figures(Table(0, 0, 0, 12))
    assert figures.note is None and figures.ppos is None and figures.kappa is None
    assert figures.kappa_low is None and figures.pneg == 1 and figures.ac1 == 1


def test_the_pair_page_and_the_leads_topics_show_the_rare_marker_figures(app, client, auth,
                                                                          world):
    from sqlalchemy import select

    from companion.clock import local_now
    from companion.extensions import db
    from companion.models import Pair

    with app.app_context():
        first = local_now().date().replace(day=1)
    calm = [({"relaxed"}, {"relaxed"})] * 4
    captured_month(app, world, [*calm, ({"hostility"}, set()), (set(), {"hostility"})], first)
    with app.app_context():
        pair_id = db.session.scalar(select(Pair.id))
    auth.sign_in("lead")
    page = client.get(f"/pairs/{pair_id}").get_data(as_text=True)
    assert "Read for rare markers" in page and "both saw it (ppos)" in page
    topics = client.get("/pairs").get_data(as_text=True)
    topics = topics[topics.index('id="topics"'):]
    # hostility: 6 meetings, 2 with only one tick, never both: ppos 0, ticked in 17 %
    assert "Hostility" in topics and "2 meetings with only one tick" in topics
    assert "both saw it (ppos): 0%" in topics and "ticked in 17%" in topics
    assert "Relaxed" not in topics  # always agreed: not a topic
