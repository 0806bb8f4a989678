"""Languages: the German catalogue covers every message, each user chooses, the browser decides
otherwise, and dates are worded per language."""

from datetime import date, datetime, time
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask_babel import force_locale
from sqlalchemy import select

from companion.admin.operations import AdminError, create_team
from companion.clock import local_now
from companion.extensions import db
from companion.i18n import when
from companion.models import User

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "companion" / "translations"


def _ids(catalogue) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalogue if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages the code and templates use now, read by the same rules as `translate
    extract`."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
                                "-k", "_l", "--no-location", "-o", str(pot), str(ROOT)])
    with pot.open("rb") as handle:
        return read_po(handle)


def test_the_catalogue_template_is_up_to_date(extracted):
    with (CATALOGUES / "messages.pot").open("rb") as handle:
        assert _ids(read_po(handle)) == _ids(extracted), "run: flask --app wsgi translate update"


def test_every_message_has_a_german_translation(extracted):
    with (CATALOGUES / "de" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        german = read_po(handle, locale="de")
    missing = [m.id for m in extracted if m.id and not (
        german.get(m.id) and all(german.get(m.id).string if isinstance(
            german.get(m.id).string, tuple) else [german.get(m.id).string])
        and not german.get(m.id).fuzzy)]
    assert missing == []


def _set_language(app, username, language):
    with app.app_context():
        db.session.scalar(select(User).where(User.username == username)).language = language
        db.session.commit()


def test_a_user_who_chose_german_gets_german_pages(app, client, auth, world):
    _set_language(app, "w1", "de")
    auth.login("w1")
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="de">' in page and "Abmelden" in page and "Sign out" not in page


def test_without_a_choice_the_browser_decides_also_on_the_login_page(client):
    german = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    english = client.get("/login", headers={"Accept-Language": "fr, en;q=0.8"})
    assert '<html lang="de">' in german.get_data(as_text=True)
    assert "Anmelden" in german.get_data(as_text=True)
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert "Sign in" in english.get_data(as_text=True)


def test_the_language_is_chosen_under_account_and_a_tampered_one_refused(app, client, auth,
                                                                         world):
    auth.login("w2")
    assert client.post("/account/language", data={"language": "de"}).status_code == 303
    assert client.post("/account/language", data={"language": "xx"}).status_code == 400
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "w2"))
        assert user.language == "de"
    assert client.post("/account/language", data={"language": ""}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(User.language).where(User.username == "w2")) is None


def test_dates_and_times_are_worded_in_the_language_and_on_the_team_clock(app):
    with app.test_request_context():
        with force_locale("de"):
            assert when(date(2026, 12, 1), "day") == "Di. 1 Dez."
            assert when(time(9, 5), "time") == "09:05"
        with force_locale("en"):
            assert when(date(2026, 12, 1), "day") == "Tue 1 Dec"
            # 23:30 UTC on 30 November is 00:30 on 1 December in Amsterdam
            assert when(datetime(2026, 11, 30, 23, 30), "moment") == "1 Dec 00:30"


def test_date_and_time_inputs_say_the_order_in_words(app, client, auth, world):
    _set_language(app, "w1", "de")
    auth.sign_in("w1")
    page = client.get(f"/clients/{world.clients['shared']}/capture").get_data(as_text=True)
    assert page.count('aria-describedby="when-hint"') == 2  # the date and the start time
    with app.test_request_context(), force_locale("de"):
        today = when(local_now().date(), "full")
    assert f"Datum als Tag, Monat, Jahr (heute: {today}); Beginn im 24-Stunden-Format" in page


def test_an_admin_error_is_worded_in_the_readers_language(app):
    with app.test_request_context(), force_locale("de"):
        create_team("Nord")
        with pytest.raises(AdminError) as refused:
            create_team("Nord")
        assert str(refused.value) == "Es gibt schon ein Team namens Nord."
