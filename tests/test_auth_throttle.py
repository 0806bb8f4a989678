"""Sign-in throttling per account and per address, in Redis when configured, and fail-closed."""

import re
import statistics
import time
import uuid

import pytest
import redis

from companion.auth.throttle import address_key, throttle
from companion.extensions import db
from tests.support import world as world_module
from tests.support.apps import make_app
from tests.support.world import PASSWORD

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def client(tmp_path):
    """Throttling does not depend on the database engine: these tests run on SQLite once."""
    app = make_app(f"sqlite:///{tmp_path / 't.sqlite'}", tmp_path)
    with app.app_context():
        db.create_all()
        world_module.build()
    return app.test_client()


def _prefail(client, times, address="10.0.0.7"):
    """Count `times` failures from `address` without paying for as many password checks."""
    with client.application.test_request_context(environ_base={"REMOTE_ADDR": address}):
        for _ in range(times):
            throttle().fail(address_key())


def _post(client, username, password="wrong password", address="10.0.0.1", **headers):  # noqa: S107
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_five_failures_block_the_account_even_with_the_right_password(client):
    for _ in range(5):
        assert _post(client, "w1").status_code == 401
    blocked = _post(client, "w1", PASSWORD, address="10.9.9.9")
    assert blocked.status_code == 429 and b"Too many attempts" in blocked.data
    assert _post(client, "w2", PASSWORD).status_code == 303  # other accounts are not affected


def test_a_successful_sign_in_clears_the_account_count(client):
    for _ in range(4):
        _post(client, "w1")
    assert _post(client, "w1", PASSWORD).status_code == 303
    for _ in range(4):
        assert _post(client, "w1").status_code == 401


def test_twenty_failures_from_one_address_block_that_address(client):
    _prefail(client, 19)
    assert _post(client, "nobody", address="10.0.0.7").status_code == 401
    assert _post(client, "w1", PASSWORD, address="10.0.0.7").status_code == 429
    assert _post(client, "w1", PASSWORD, address="10.0.0.8").status_code == 303


def test_x_forwarded_for_is_ignored_without_trusted_proxies(client):
    _prefail(client, 19)
    _post(client, "nobody", address="10.0.0.7", **{"X-Forwarded-For": "192.0.2.9"})
    response = _post(client, "w1", PASSWORD, address="10.0.0.7",
                     **{"X-Forwarded-For": "192.0.2.200"})
    assert response.status_code == 429


@pytest.fixture
def proxied_app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'p.sqlite'}", tmp_path, PROXY_COUNT=1)
    with app.app_context():
        db.create_all()
        world_module.build()
    return app


def test_with_one_trusted_proxy_the_forwarded_address_is_counted(proxied_app):
    client = proxied_app.test_client()
    _prefail(client, 19, address="198.51.100.7")
    _post(client, "nobody", address="10.0.0.1", **{"X-Forwarded-For": "198.51.100.7"})
    blocked = _post(client, "w1", PASSWORD, **{"X-Forwarded-For": "198.51.100.7"})
    assert blocked.status_code == 429
    # A client cannot pick its address: only the hop the proxy added counts.
    spoofed = _post(client, "w1", PASSWORD, **{"X-Forwarded-For": "198.51.100.7, 203.0.113.5"})
    assert spoofed.status_code == 303


def _redis_app(tmp_path, name, url=REDIS_URL):
    return make_app(f"sqlite:///{tmp_path / 'shared.sqlite'}", tmp_path / name, REDIS_URL=url)


def test_two_app_instances_share_the_count_in_redis(tmp_path):
    redis.Redis.from_url(REDIS_URL).flushdb()
    first, second = _redis_app(tmp_path, "one"), _redis_app(tmp_path, "two")
    with first.app_context():
        db.create_all()
        world_module.build()
    username = "w1"
    for instance in (first, second, first, second, first):
        assert _post(instance.test_client(), username).status_code == 401
    assert _post(second.test_client(), username, PASSWORD).status_code == 429
    assert redis.Redis.from_url(REDIS_URL).keys("*")  # the counts live in Redis
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_sign_in_is_refused_when_redis_cannot_be_reached(tmp_path):
    app = _redis_app(tmp_path, "down", url="redis://127.0.0.1:1/0")
    with app.app_context():
        db.create_all()
        world_module.build()
    response = _post(app.test_client(), "w1", PASSWORD)
    assert response.status_code == 503
    assert b"not available" in response.data


def _comparable(response, username):
    """The page without the echoed username and the per-response CSRF token."""
    text = response.get_data(as_text=True).replace(f'value="{username}"', "")
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", text)


def test_unknown_user_and_wrong_password_look_and_take_the_same(client):
    def attempt(username, address):
        started = time.perf_counter()
        response = _post(client, username, address=address)
        return response, time.perf_counter() - started

    wrong_times, unknown_times = [], []
    for round_ in range(4):
        wrong, elapsed = attempt("w1", f"10.1.0.{round_}")
        wrong_times.append(elapsed)
        name = "u" + uuid.uuid4().hex[:6]
        unknown, elapsed = attempt(name, f"10.2.0.{round_}")
        unknown_times.append(elapsed)
        assert wrong.status_code == unknown.status_code == 401
        assert _comparable(wrong, "w1") == _comparable(unknown, name)
    fast, slow = sorted([statistics.median(wrong_times), statistics.median(unknown_times)])
    assert slow / fast < 1.5, (wrong_times, unknown_times)
