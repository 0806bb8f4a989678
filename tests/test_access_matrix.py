"""Every route x method x kind of user, with the expected status, from one table.

A route missing from EXPECTED (tests/support/access_table.py) fails the test: a new route must
be added there, with the status each kind of user gets. URL ids come from
tests/support/world.py (plus a milestone and a pair, tests/support/routes.py); every route
with a record id is also tried with the other team's ids.
"""


import pytest

from tests.support.access_table import EXPECTED, WHO
from tests.support.routes import Visitor, _ids, _key, _routes, _url


def test_every_route_is_in_the_access_table(app):
    missing = sorted({_key(rule, method) for rule, method in _routes(app)} - set(EXPECTED))
    assert missing == [], "add these routes to EXPECTED in tests/support/access_table.py"


def test_every_route_gives_each_kind_of_user_the_expected_status(app, world):
    ids = _ids(app, world)
    visitors = [Visitor(app, who) for who in WHO]
    observed, wrong = {}, []
    for rule, method in _routes(app):
        url = _url(rule, ids, 0)
        statuses = tuple(visitor.open(url, method) for visitor in visitors)
        observed[_key(rule, method)] = statuses
        if EXPECTED.get(_key(rule, method)) != statuses:
            wrong.append(f'    "{_key(rule, method)}": {statuses},  # was '
                         f'{EXPECTED.get(_key(rule, method))}')
    assert wrong == [], "\n" + "\n".join(wrong)


@pytest.mark.parametrize("username", ["w1", "w2", "lead"])
def test_the_other_teams_record_ids_are_refused_on_every_route(app, world, username):
    ids = _ids(app, world)
    visitor = Visitor(app, username)
    tried = 0
    for rule, method in _routes(app):
        url = _url(rule, ids, 1)
        if url is None:
            continue
        status = visitor.open(url, method)
        assert status in (403, 404), (url, method, status)
        tried += 1
    assert tried >= 10
