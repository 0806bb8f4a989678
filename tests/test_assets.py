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
        assert brotli.decompress(answer.data) == (STATIC / f"{name}.{suffix}").read_bytes()


def test_a_static_file_asked_for_by_its_plain_name_is_revalidated_each_time(client):
    answer = client.get("/static/app.css", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["Cache-Control"] == "max-age=0, public"
    assert gzip.decompress(answer.data) == (STATIC / "app.css").read_bytes()
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
    assert (tmp_path / "built" / first).read_text() == "body { color: black }"
    assert (tmp_path / "built" / second).read_text() == "body { color: navy }"


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
