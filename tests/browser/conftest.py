"""Browser fixtures: the app served on a free local port, driven by Debian's Chromium."""

import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from companion import demo
from companion.extensions import db
from tests.support.apps import make_app
from tests.support.browser import (  # noqa: F401  (for older imports)
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_PASSWORD,
    PHONE,
    sign_in,
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The app on SQLite with the demo team seeded, as `make run` would serve it."""
    tmp = tmp_path_factory.mktemp("live")
    app = make_app(f"sqlite:///{tmp / 'live.sqlite'}", tmp, WTF_CSRF_ENABLED=True, TESTING=False,
                   DEMO_PASSWORD=DEMO_PASSWORD)
    with app.app_context():
        db.create_all()
        demo.seed()
        db.session.commit()
    return app


@pytest.fixture(scope="module")
def live_url(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_url):
    """A fresh phone-sized browser profile; each test signs in on its own."""
    context = browser.new_context(viewport=PHONE, base_url=live_url, is_mobile=True,
                                  has_touch=True)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()
