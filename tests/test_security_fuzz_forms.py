"""Every form the app shows, fed hostile input: never a 5xx, never invalid data stored,
and a script canary typed into every text field only ever comes back escaped."""

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, select

from companion.clients.views import SECTION_BODIES
from companion.extensions import db
from companion.models import AuditEntry
from tests.support import world as world_module
from tests.support.apps import make_app
from tests.support.routes import URL_VALUES, VARIABLE, Visitor, _ids, _routes, _url

CANARY = '"><img src=x onerror=alert(1)>{{7*7}}'
RAW = "<img src=x onerror=alert(1)>"
# Forms that only sign in, re-authenticate or end sessions: their input is checked elsewhere,
# and each try costs an argon2 hash.
SKIP_ACTIONS = ("/login", "/logout", "/unlock", "/account/")
ROLES = ("w1", "lead", "admin")
NASTY = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\u202eevil\u202c", "مرحبا بالعالم", "😀" * 40, "x" * 100_000,
    "x" * 600, CANARY, "-1", "0", "99999999999999999999", "2026-13-45", "NaN", "<b>", "' OR 1=1--",
])
TEXT = st.one_of(NASTY, st.text(max_size=80), st.text(min_size=100, max_size=700))


@dataclass
class Form:
    role: str
    action: str
    fields: dict = field(default_factory=dict)  # name -> list of allowed values, or None for text


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = {"action": attrs.get("action", ""), "fields": {}}
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name") and tag != "option":
            return
        elif tag == "select":
            self._select = attrs["name"]
            self._form["fields"][self._select] = []
        elif tag == "option" and self._select:
            self._form["fields"][self._select].append(attrs.get("value", ""))
        elif tag in ("input", "textarea") and attrs.get("name") != "csrf_token":
            kind = attrs.get("type", "text")
            values = self._form["fields"].setdefault(attrs["name"], [] if kind in (
                "checkbox", "radio", "hidden") else None)
            if values is not None:
                values.append(attrs.get("value", "on"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _text(response) -> str:
    return response.get_data().decode("utf-8", "replace")  # the PDF route answers in bytes


def discover(app, ids) -> list[Form]:
    """Every POST form on every page each role can open."""
    found = {}
    for role in ROLES:
        visitor = Visitor(app, role)
        for rule, method in _routes(app):
            if method != "GET" or rule.endpoint == "static":
                continue
            parser = FormParser()
            for url in _pages(rule, ids):
                parser.feed(_text(visitor.client.get(url)))
            for form in parser.forms:
                if form["fields"] and not form["action"].startswith(SKIP_ACTIONS):
                    found[(role, form["action"])] = Form(role, form["action"], form["fields"])
    return list(found.values())


def _pages(rule, ids) -> list[str]:
    """The rule's page; for the client page's sections, every section (each holds forms)."""
    url = _url(rule, ids, 0)
    if "section" not in rule.arguments:
        return [url]
    return [f"{url.rsplit('/', 1)[0]}/{section}" for section in SECTION_BODIES]


@pytest.fixture
def fuzz_app(tmp_path):
    """SQLite only: the bulk of submissions must stay fast."""
    app = make_app(f"sqlite:///{tmp_path / 'fuzz.sqlite'}", tmp_path)
    with app.app_context():
        db.create_all()
        world = world_module.build()
    return app, world


def stored_strings_are_valid(app):
    """No stored text holds a NUL or exceeds its column's length."""
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, String) and column.type.length:
                    for value in db.session.scalars(select(column)).all():
                        assert value is None or (
                            "\x00" not in value and len(value) <= column.type.length
                        ), (table.name, column.name)


def test_hostile_input_never_causes_a_server_error_or_invalid_data(fuzz_app):
    app, world = fuzz_app
    forms = discover(app, _ids(app, world))
    assert len(forms) >= 8
    visitors = {role: Visitor(app, role) for role in ROLES}
    statuses = []

    def value_for(allowed):
        if allowed is None:
            return TEXT
        return st.one_of(st.sampled_from(allowed or [""]), NASTY)

    @settings(max_examples=2000, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def submit(data):
        form = data.draw(st.sampled_from(forms))
        values = {name: data.draw(value_for(allowed)) for name, allowed in form.fields.items()
                  if data.draw(st.integers(0, 9)) > 0}
        headers = {"HX-Request": "true"} if data.draw(st.booleans()) else {}
        response = visitors[form.role].client.post(form.action, data=values, headers=headers)
        statuses.append(response.status_code)
        assert response.status_code < 500, (form.action, values)

    submit()
    assert len(statuses) >= 2000
    stored_strings_are_valid(app)


def test_a_script_canary_in_every_text_field_only_ever_shows_escaped(fuzz_app, monkeypatch):
    app, world = fuzz_app
    ids = _ids(app, world)
    forms = discover(app, ids)
    visitors = {role: Visitor(app, role) for role in ROLES}
    for form in forms:
        values = {name: CANARY if allowed is None else (allowed[0] if allowed else "")
                  for name, allowed in form.fields.items()}
        visitors[form.role].client.post(form.action, data=values)
    rendered = []
    monkeypatch.setattr("companion.reports.render.html_to_pdf",
                        lambda html, static: rendered.append(html) or b"%PDF-1.7")
    pages = []
    for visitor in visitors.values():
        for rule, method in _routes(app):
            if method == "GET" and rule.endpoint != "static":
                response = visitor.client.get(_url(rule, ids, 0))
                if response.mimetype == "text/csv":  # data as stored, never shown as a page
                    assert response.headers["Content-Disposition"].startswith("attachment")
                    assert response.headers["X-Content-Type-Options"] == "nosniff"
                    continue
                pages.append(_text(response))
    assert rendered, "the report's HTML was rendered"
    for page in pages + rendered:
        assert RAW not in page
    assert any("{{7*7}}" in page for page in pages)  # stored, shown literally, not evaluated


def test_a_nul_character_in_a_field_is_refused_with_400_on_every_engine(client, auth, world):
    auth.sign_in("admin")
    response = client.post("/admin/teams", data={"name": ["ok", "Team\x00X"]})
    assert response.status_code == 400


INT_VARIABLE = re.compile(r"<int:([^>]+)>")
# Past PostgreSQL's INTEGER (2^31 - 1) and past SQLite's (2^63 - 1).
HUGE_IDS = (2**31, 2**63, 10**30)


def _with_huge_ids(rule, huge: int) -> str:
    text = INT_VARIABLE.sub(str(huge), rule.rule)
    return VARIABLE.sub(lambda match: str(URL_VALUES[match.group(1)]({})[0]), text)


@pytest.mark.parametrize("username", ROLES)
def test_ids_beyond_the_integer_columns_are_refused_4xx_and_audited(
    app, client, auth, world, username
):
    auth.sign_in(username)
    refused = []
    for rule, method in _routes(app):
        if "<int:" not in rule.rule:
            continue
        for huge in HUGE_IDS:
            url = _with_huge_ids(rule, huge)
            response = client.open(url, method=method, data={"phase": "crisis"})
            assert response.status_code in (403, 404), (method, url, response.status_code)
            refused.append((rule.endpoint, huge, response.status_code))
    assert len(refused) >= 3 * 20
    with app.app_context():
        subjects = db.session.scalars(
            select(AuditEntry.subject).where(AuditEntry.action == "access.denied")).all()
    for endpoint, huge, status in refused:
        audited = f"{endpoint}:{huge}"[:128] in subjects or status == 403
        assert audited, (endpoint, huge)


def _file_part() -> tuple:
    return (io.BytesIO(b"%PDF-1.7 not a name"), "name.pdf", "application/pdf")


def test_a_file_part_in_any_text_field_is_refused_with_400(fuzz_app):
    app, world = fuzz_app
    forms = discover(app, _ids(app, world))
    forms.append(Form("anonymous", "/login", {"username": None, "password": None}))
    visitors = {role: Visitor(app, role) for role in (*ROLES, "anonymous")}
    tried = 0
    for form in forms:
        for name in [name for name, allowed in form.fields.items() if allowed is None]:
            values = {other: (allowed or ["x"])[0] if allowed else "x"
                      for other, allowed in form.fields.items()}
            values[name] = _file_part()
            response = visitors[form.role].client.post(
                form.action, data=values, content_type="multipart/form-data")
            assert response.status_code == 400, (form.action, name, response.status_code)
            tried += 1
    assert tried >= 8
    stored_strings_are_valid(app)
