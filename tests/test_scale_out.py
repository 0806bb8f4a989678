"""Two app instances (gunicorn, two ports) on one PostgreSQL database and one Redis, as the
README's team-scale recipe deploys them: any instance serves any request."""

import os
import re
import secrets

import pytest
import redis
from sqlalchemy import create_engine, func, select, text

from companion import demo
from companion.extensions import db
from companion.models import Capture
from tests.servers import FIELD, Browser, gunicorn
from tests.support.apps import TEST_ENV, make_app, scratch_postgres_database

REDIS_URL = "redis://127.0.0.1:6379/12"  # its own database: test modules run in parallel
PASSWORD = "scale out pass 1"


@pytest.fixture(scope="module")
def two_instances(tmp_path_factory):
    """(first base URL, second base URL, database URL) with the demo seeded once."""
    tmp = tmp_path_factory.mktemp("scale")
    redis.Redis.from_url(REDIS_URL).flushdb()
    with scratch_postgres_database() as url:
        app = make_app(url, tmp / "seed", DEMO_PASSWORD=PASSWORD)
        with app.app_context():
            db.create_all()
            demo.seed()
            db.session.commit()
            db.engine.dispose()
        env = dict(os.environ, **TEST_ENV, DATABASE_URL=url.replace("+psycopg", ""),
                   REDIS_URL=REDIS_URL)
        with gunicorn(env, tmp / "one") as (_a, first), gunicorn(env, tmp / "two") as (_b, second):
            yield first, second, url
    redis.Redis.from_url(REDIS_URL).flushdb()


def _capture_form(browser, base, client_id):
    page = browser.request(f"{base}/clients/{client_id}/capture")[2]
    return dict(FIELD.findall(page)) | {"attendance": "held", "readiness": "relaxed",
                                        "idempotency_key": secrets.token_urlsafe(24)}


def _signed_in_worker(first):
    browser = Browser()
    assert browser.sign_in(first, "worker1", PASSWORD) == 303
    client_id = re.search(r'href="/clients/(\d+)"', browser.request(first + "/")[2]).group(1)
    return browser, client_id


def test_a_session_from_one_instance_is_valid_on_the_other(two_instances):
    first, second, _url = two_instances
    browser, client_id = _signed_in_worker(first)
    status, _headers, page = browser.request(f"{second}/clients/{client_id}")
    assert status == 200 and "worker1" in page
    assert Browser().request(f"{second}/clients/{client_id}")[0] == 302  # not without it


def test_a_capture_saved_through_one_instance_is_visible_through_the_other(two_instances):
    first, second, _url = two_instances
    browser, client_id = _signed_in_worker(first)
    step = f"Scale-out check {secrets.token_hex(4)}"
    form = _capture_form(browser, first, client_id) | {"next_step": step}
    assert browser.request(f"{first}/clients/{client_id}/capture", form)[0] == 303
    assert step in browser.request(f"{second}/clients/{client_id}")[2]


def test_an_idempotent_retry_landing_on_the_other_instance_makes_one_record(two_instances):
    first, second, url = two_instances
    browser, client_id = _signed_in_worker(first)
    # another meeting of the day the previous test captured, confirmed as such
    form = _capture_form(browser, first, client_id) | {"starts_at": "06:45",
                                                       "another_meeting": "1"}
    assert browser.request(f"{first}/clients/{client_id}/capture", form)[0] == 303
    assert browser.request(f"{second}/clients/{client_id}/capture", form)[0] == 303
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(Capture).where(
            Capture.idempotency_key == form["idempotency_key"]))
        audited = connection.scalar(text(
            "SELECT count(*) FROM audit_log WHERE action = 'capture.created'"
            " AND subject = (SELECT 'capture:' || id FROM captures WHERE idempotency_key = :k)"),
            {"k": form["idempotency_key"]})
    engine.dispose()
    assert (stored, audited) == (1, 1)


def test_sign_in_throttling_counts_failures_on_both_instances_together(two_instances):
    first, second, _url = two_instances
    for base in (first, second, first, second, first):
        assert Browser().sign_in(base, "worker2", "not the password") == 401
    assert Browser().sign_in(second, "worker2", PASSWORD) == 429
    assert Browser().sign_in(first, "worker2", PASSWORD) == 429
