"""German end to end: a worker, a lead and an admin who chose German walk every page open to
them (and every kind of page linked from there) on a 390 px phone, and a lead and a worker
download the monthly report, the funders' figures and the agreed-goals PDF. No English word
is left: each page's text (and its labels, titles and placeholders) and each PDF's text is
checked against the
English catalogue and the English content, less every word the German side uses too (Team,
Phase, PIN) and less what people typed (notes, goals, names, codes). No page scrolls sideways,
and the key pages pass axe.
"""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from pypdf import PdfReader
from sqlalchemy import String, Text, select, update

from companion.clock import previous_month
from companion.extensions import db
from companion.models import Client, Team, User
from companion.reports.months import month_key
from tests.support.browser import PHONE, sign_in_by_session
from tests.support.records import team_today
from tests.support.screens import ready_offline, ready_to_capture
from tests.support.walk import MUST_REACH, ROLES, walk

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)\w|\{\w+\}|<[^>]+>")
ID = re.compile(r"[a-z]+(_[a-z]+)*")
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{3,}")
# A receipt's reference is four random base32 characters ("Ref. 3TIE"), not words to translate.
RECEIPT_REF = re.compile(r"Ref\. [A-Z2-7]{4}\b")
AXE_PAGES = {"home.index", "clients.show", "clients.section", "clients.card", "capture.new",
             "debriefs.pair", "debriefs.show", "reports.index", "account.index", "admin.index",
             "audit.team"}
# Shown as they are in every language: names, sources and codes.
NAMES = {"alliance", "companion", "durnescu", "bjørgo", "newman", "entre", "healthy",
         "identity", "intervention", "ran", "exit", "europe", "gov", "utc", "csv", "pdf"}
VISIBLE_TEXT = """() => {
  const parts = [document.body.innerText, document.title];
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]"))
    for (const name of ["aria-label", "title", "placeholder", "alt"])
      if (el.getAttribute(name)) parts.push(el.getAttribute(name));
  for (const el of document.querySelectorAll("input[type=submit], input[type=button]"))
    parts.push(el.value);
  const codes = [...document.querySelectorAll("code")].map(el => el.textContent);
  return [parts.join("\\n"), codes];
}"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
WIDEST = """() => [...document.querySelectorAll("body *")]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(-3).map(el => el.tagName + "." + el.className + ": " + el.textContent.slice(0, 60))"""
axe = Axe()


def _words(texts) -> set[str]:
    return {w.lower() for text in texts for w in WORD.findall(PLACEHOLDER.sub(" ", text))}


def _content_texts(found) -> list[str]:
    texts = [t for p in found.prompts for t in (p.text, p.why)]
    texts += [m.label for m in found.vocabulary.by_id.values()]
    texts += list(found.debrief_prompts.values())
    return texts + [a for s in found.dimension_scales.values() for a in s.anchors.values()]


@pytest.fixture(scope="module")
def english(live_app):
    """Words only the English side uses: the catalogue's msgids and the English content, less
    the German translations' and German content's words."""
    path = ROOT / "companion" / "translations" / "de" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="de")
    ids, strings = [], []
    for message in catalogue:
        if message.id:
            ids += [message.id] if isinstance(message.id, str) else list(message.id)
            strings += [message.string] if isinstance(message.string, str) else list(
                message.string)
    languages = live_app.extensions["content_languages"]
    ids += _content_texts(languages["en"])
    strings += _content_texts(languages["de"])
    return _words(ids) - _words(strings) - NAMES


@pytest.fixture(scope="module")
def typed(live_app):
    """Everything people wrote (notes, goals, reasons, names, codes), longest first: it is in
    their words, not the interface's. Stored ids (`worker`, `cut_short`) are not: the page
    must show them in words."""
    texts = set()
    with live_app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, (String, Text)):
                    texts |= {v for v in db.session.scalars(select(column).distinct())
                              if isinstance(v, str) and len(v) >= 3 and not ID.fullmatch(v)}
        db.session.execute(update(User).values(language="de"))
        db.session.commit()
    return sorted(texts, key=len, reverse=True)


@pytest.fixture
def german(browser, live_url):
    context = browser.new_context(viewport=PHONE, base_url=live_url, is_mobile=True,
                                  has_touch=True, locale="de-DE")
    yield context
    context.close()


def _english_left(text, english, typed) -> list[str]:
    """Each English word left, with the words around it."""
    for stored in typed:
        text = text.replace(stored, " ")
    text = " ".join(RECEIPT_REF.sub(" ", PLACEHOLDER.sub(" ", text)).split())
    return sorted({f"{m[0]} ({text[max(0, m.start() - 30):m.end() + 30]})"
                   for m in WORD.finditer(text) if m[0].lower() in english})


@pytest.mark.parametrize("username", sorted(ROLES))
def test_every_page_in_german_has_no_english_and_fits_a_phone(german, live_app, live_url,
                                                              english, typed, username):
    sign_in_by_session(german, live_app, live_url, username)
    page = german.new_page()
    reached, problems = set(), []
    if username == "worker1":  # the loop's htmx answers too: a capture saved, its receipt
        page.goto("/")
        page.locator("a[href$='/capture']").first.click()
        ready_to_capture(page)
        page.get_by_role("button", name="Speichern").click()
        page.get_by_text("Erfassung gespeichert.").wait_for()
        text, codes = page.evaluate(VISIBLE_TEXT)
        if left := _english_left(text, english, codes + typed):
            problems.append(f"saved capture: English {left}")
    for endpoint in walk(page, live_app, live_url, ROLES[username]):
        url = page.url
        reached.add(endpoint)
        assert page.get_attribute("html", "lang") == "de", url
        text, codes = page.evaluate(VISIBLE_TEXT)  # codes: an audit entry's action code
        left = _english_left(text, english, sorted(codes, key=len, reverse=True) + typed)
        if left:
            problems.append(f"{url}: English {left}")
        if page.evaluate(SIDEWAYS) > 0:
            problems.append(f"{url}: scrolls sideways by {page.evaluate(SIDEWAYS)} px "
                            f"{page.evaluate(WIDEST)}")
        if endpoint in AXE_PAGES and axe.run(page).violations_count:
            problems.append(f"{url}: axe\n{axe.run(page).generate_report()}")
    assert MUST_REACH[username] - {"reports.monthly"} <= reached
    assert not problems, "\n".join(problems)


def _pdf_text(response) -> str:
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_pdfs_in_german_have_no_english(german, live_app, live_url, english, typed):
    with live_app.app_context():
        team_id = db.session.scalar(select(Team.id).order_by(Team.id))
        client_id = db.session.scalar(select(Client.id).where(Client.code == "K-101"))
    month = month_key(previous_month(team_today().replace(day=1)))
    sign_in_by_session(german, live_app, live_url, "lead1")
    monthly = _pdf_text(german.request.get(f"/reports/{team_id}/{month}.pdf"))
    funders = _pdf_text(german.request.get(f"/reports/{team_id}/{month}/funders.pdf"))
    sign_in_by_session(german, live_app, live_url, "worker1")
    goals = _pdf_text(german.request.get(f"/clients/{client_id}/goals.pdf"))
    assert "Monat" in monthly or "Bericht" in monthly
    assert _english_left(monthly, english, typed) == []
    assert _english_left(goals, english, typed) == []
    assert _english_left(funders, english, typed) == []
    assert "Seite 1 von" in monthly and "VERTRAULICH" in monthly


def test_the_offline_queue_in_german_has_no_english(german, live_app, live_url, english, typed):
    """Saved with no signal, waiting across a reload, then sent: every word the queue shows
    on the way is German."""
    sign_in_by_session(german, live_app, live_url, "worker1")
    page = german.new_page()
    page.goto("/")
    ready_offline(page)
    page.locator("a[href^='/clients/'][href$='/capture']").first.click()  # kept for offline
    ready_to_capture(page)
    page.locator("#held_on").fill((team_today() - timedelta(days=40)).isoformat())
    german.set_offline(True)
    problems = []

    def check(moment):
        text, codes = page.evaluate(VISIBLE_TEXT)
        if left := _english_left(text, english, codes + typed):
            problems.append(f"{moment}: English {left}")

    page.get_by_role("button", name="Speichern").click()
    page.locator("#outbox [data-outbox-status]").get_by_text(
        re.compile("Auf diesem Telefon gespeichert, 1 warten")).wait_for()
    check("saved on the phone")
    page.reload()
    page.wait_for_selector("#capture-form[data-offline-copy]")
    check("the copy kept on the phone, offline")
    german.set_offline(False)
    page.locator("#outbox [data-receipts] li", has_text="Empfangen").first.wait_for()
    check("sent, with its receipt")
    assert not problems, "\n".join(problems)
