"""Page weight: fingerprinted, precompressed static files cached for a year; HTML compressed only
for our own pages' requests (BREACH); an unchanged session cookie is not sent again."""

import gzip
import re
from pathlib import Path

import brotli
import pytest

from companion import assets

STATIC = Path(__file__).resolve().parent.parent / "static"
STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')


@pytest.fixture
def engine_name():
    """Serving files and compressing pages does not depend on the database: SQLite only."""
    return "sqlite"


def test_pages_name_static_files_by_content_hash_and_they_are_immutable_for_a_year(client):
    urls = STATIC_URL.findall(client.get("/login").get_data(as_text=True))
    assert len(urls) >= 3
    for url in urls:
        name, digest, suffix = re.fullmatch(r"/static/(.+)\.([0-9a-f]{12})\.(\w+)", url).groups()
        answer = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "max-age=31536000, public, immutable"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        if suffix == "png":  # already compressed: sent as it is
            assert answer.data == (STATIC / f"{name}.{suffix}").read_bytes()
            continue
        assert answer.headers["Content-Encoding"] == "br"
        assert brotli.decompress(answer.data) == built(f"{name}.{suffix}")


def built(name: str) -> bytes:
    """What a static file is served as: our own scripts and styles slimmed, bundles joined."""
    parts = assets.BUNDLES.get(name, (name,))
    return b";\n".join(assets.slim(part, (STATIC / part).read_bytes()) for part in parts)


def scripts_of(html: str) -> list[tuple[str, str]]:
    """(script the page loads with its own tag, script it names to load after the load event)."""
    tag = r'<script src="/static/([^".]+)[^"]*" defer data-later="/static/([^".]+)[^"]*"></script>'
    return re.findall(tag, html)


def test_pages_load_only_htmx_and_name_the_apps_script_for_after_the_load_event(
        app, client, sign_in):
    """The offline code is not in a worker's first load: no tag of its own, blocking or deferred;
    page.js (htmx and the loader) adds it once the page is up."""
    sign_in("w1")
    home = client.get("/").get_data(as_text=True)
    assert home.count("<script") == 1
    assert scripts_of(home) == [("page", "worker")]
    bundle = client.get(re.search(r'data-later="(/static/worker[^"]+)"', home).group(1)).data
    for part in assets.BUNDLES["worker.js"]:
        assert assets.slim(part, (STATIC / part).read_bytes()) in bundle
    page = client.get(re.search(r'src="(/static/page[^"]+)"', home).group(1)).data
    assert page == built("page.js")
    assert page.startswith((STATIC / "htmx-2.0.11.min.js").read_bytes())
    login = app.test_client().get("/login").get_data(as_text=True)  # no worker, no outbox
    assert login.count("<script") == 1
    assert scripts_of(login) == [("page", "app")]


def test_our_scripts_and_styles_lose_comments_and_indentation_but_not_a_line_break():
    script = (b"// a comment\n(function () {\n  var a = 1  // kept: not a whole line\n\n"
              b"  return a\n}());\n")
    assert assets.slim("x.js", script) == (
        b"(function () {\nvar a = 1  // kept: not a whole line\nreturn a\n}());\n")
    assert assets.slim("x.css", b"/* one\n two */\nbody {\n  color: navy; /* c */\n}\n") == (
        b"body {\ncolor: navy;\n}\n")
    vendored = b"// licence\n  var x;\n"
    assert assets.slim("vendor/lib.js", vendored) == vendored
    assert assets.slim("htmx-2.0.11.min.js", vendored) == vendored


def test_a_static_file_asked_for_by_its_plain_name_is_revalidated_each_time(client):
    answer = client.get("/static/app.css", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["Cache-Control"] == "max-age=0, public"
    assert gzip.decompress(answer.data) == built("app.css")
    again = client.get("/static/app.css", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def test_a_changed_file_gets_a_new_url_and_the_old_copy_stays(tmp_path):
    source = tmp_path / "static"
    source.mkdir()
    (source / "app.css").write_text("body { color: black }")
    first = assets.build(source, tmp_path / "built")["app.css"]
    (source / "app.css").write_text("body { color: navy }")
    second = assets.build(source, tmp_path / "built")["app.css"]
    assert first != second
    assert (tmp_path / "built" / first).read_text() == "body { color: black }\n"
    assert (tmp_path / "built" / second).read_text() == "body { color: navy }\n"


@pytest.mark.parametrize("fetch_site", ["same-origin", "none"])
def test_html_is_compressed_for_requests_from_our_own_pages(client, auth, world, fetch_site):
    auth.sign_in("w1")
    answer = client.get("/", headers={"Accept-Encoding": "br, gzip", "Sec-Fetch-Site": fetch_site})
    assert answer.headers["Content-Encoding"] == "br"
    assert b"csrf" in brotli.decompress(answer.data)


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site", None])
def test_html_asked_for_from_another_site_or_an_unknown_one_is_not_compressed(
        client, auth, world, fetch_site):
    """BREACH needs the attacker's page to send the victim's requests and see their compressed
    length; a cross-site request (or one without fetch metadata) gets the page uncompressed."""
    auth.sign_in("w1")
    headers = {"Accept-Encoding": "br, gzip"} | ({"Sec-Fetch-Site": fetch_site} if fetch_site
                                                 else {})
    answer = client.get("/", headers=headers)
    assert "Content-Encoding" not in answer.headers
    assert b"csrf" in answer.data
    assert "Sec-Fetch-Site" in answer.headers["Vary"]


def test_an_unchanged_session_cookie_is_not_signed_and_sent_again(client, auth, world):
    assert "Set-Cookie" in auth.login("w1").headers
    client.get("/")  # the first page after sign-in adds the new session's CSRF secret
    assert "Set-Cookie" not in client.get("/").headers
    assert "Set-Cookie" not in client.get("/clients/1").headers
