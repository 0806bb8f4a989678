"""Two alarm levels on the brief (issue 12, defect 4): warning signs still live and a crisis
suggestion in the loud box, a one-point dip in a rating as a quiet note beside it."""

import html
import re
from datetime import timedelta

from companion.extensions import db
from tests.support import records, team_today


def _meeting(app, world, days_ago, **fields):
    with app.app_context():
        meeting = records.meeting(world.clients["shared"], [world.users["w1"]],
                                  team_today() - timedelta(days=days_ago))
        records.capture(meeting, world.users["w1"], **fields)
        db.session.commit()


def _brief(client, world) -> str:
    page = html.unescape(client.get(f"/clients/{world.clients['shared']}").get_data(as_text=True))
    return page[page.index('id="brief"'):page.index('id="card"')]


def _items(brief, css):
    found = re.search(rf'<ul class="{css}"[^>]*>(.*?)</ul>', brief, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1), re.S) if found else []


def test_a_one_point_rating_dip_is_a_quiet_note_not_a_red_warning(app, client, sign_in, world):
    _meeting(app, world, 8, ratings=(4, 4, 4))
    _meeting(app, world, 1, ratings=(4, 4, 3))
    sign_in("w1")
    brief = _brief(client, world)
    assert _items(brief, "open-warnings") == [] and "Warning:" not in brief
    [note] = _items(brief, "quiet-notes")
    assert "<strong>Note:</strong>" in note
    assert "Alliance rating by w1 fell since the previous meeting: bond 4 → 3" in note


def test_a_warning_sign_stays_loud_beside_a_quiet_rating_dip(app, client, sign_in, world):
    _meeting(app, world, 8, ratings=(4, 4, 4))
    _meeting(app, world, 1, marks=["distrust"], ratings=(4, 3, 4))
    sign_in("w1")
    brief = _brief(client, world)
    loud, quiet = _items(brief, "open-warnings"), _items(brief, "quiet-notes")
    assert any("Distrust or paranoia (meeting on" in item for item in loud)
    assert all("fell since" not in item for item in loud)
    assert ["fell since the previous meeting: tasks 4 → 3" in item for item in quiet] == [True]
