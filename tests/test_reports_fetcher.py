"""WeasyPrint loads nothing but our own static files: no file:, no http(s), no data: URLs."""

import http.server
import io
import threading

import pytest
from markupsafe import Markup
from pypdf import PdfReader

from companion import resource_dir
from companion.reports.charts import swatch
from companion.reports.pdf import Charts, FetchRefused, StaticOnlyFetcher, html_to_pdf

STATIC = resource_dir("static")


class _Canary(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def canary_url():
    _Canary.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def test_a_hostile_document_fetches_nothing(canary_url):
    html = f"""<!doctype html><html><head>
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="stylesheet" href="{canary_url}/style.css">
      <style>@import url("{canary_url}/import.css");
             body {{ background: url("{canary_url}/bg.png") }}</style>
    </head><body><p>text</p>
      <img src="file:///etc/passwd"><img src="{canary_url}/img.png">
      <img src="https://127.0.0.1:1/x.png"><img src="../../../../etc/passwd">
      <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E">
      <img src="report-static:../../../../etc/passwd">
    </body></html>"""
    fetcher = StaticOnlyFetcher(STATIC)
    pdf = html_to_pdf(html, STATIC, fetcher)
    assert PdfReader(io.BytesIO(pdf)).pages[0].extract_text().strip() == "text"
    assert _Canary.requests == []
    assert "file:///etc/passwd" in fetcher.refused
    assert f"{canary_url}/style.css" in fetcher.refused
    assert any(url.startswith("data:") for url in fetcher.refused)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://127.0.0.1/", "https://example.org/x.css",
    "report-static:../pyproject.toml", "report-static:/etc/passwd", "report-static:missing.css",
    "report-static:htmx-2.0.11.min.js", "data:text/css,body{}", "report.css",
])
def test_the_fetcher_refuses_anything_but_our_stylesheets(url):
    with pytest.raises(FetchRefused):
        StaticOnlyFetcher(STATIC).fetch(url)


def test_the_fetcher_serves_the_reports_own_stylesheet():
    response = StaticOnlyFetcher(STATIC).fetch("report-static:report.css")
    assert response.content_type == "text/css" and b"@page" in response.read()


def test_the_fetcher_serves_the_charts_of_its_render_and_no_other():
    charts = Charts()
    tag = charts.image(swatch())
    fetcher = StaticOnlyFetcher(STATIC, charts)
    assert tag == '<img src="report-chart:0" alt="">'
    assert fetcher.fetch("report-chart:0").read().startswith(b"<svg")
    for url in ("report-chart:1", "report-chart:-1", "report-chart:../0", "report-chart:"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    with pytest.raises(FetchRefused):
        StaticOnlyFetcher(STATIC).fetch("report-chart:0")


def test_a_chart_drawn_as_an_image_keeps_its_labels_in_the_pdf():
    charts = Charts()
    svg = Markup('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20">'
                 '<text x="2" y="15">42</text></svg>')
    pdf = html_to_pdf(f"<p>{charts.image(svg)}</p>", STATIC, StaticOnlyFetcher(STATIC, charts))
    assert PdfReader(io.BytesIO(pdf)).pages[0].extract_text().strip() == "42"
