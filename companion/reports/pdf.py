"""HTML to PDF with WeasyPrint, fetching nothing but our own static files and the charts the
render itself drew."""

import mimetypes
import re
from pathlib import Path

import weasyprint
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "report-static:"
CHART_PREFIX = "report-chart:"
ALLOWED_SUFFIXES = {".css", ".svg", ".png"}


class FetchRefused(ValueError):
    """A URL the report may not load."""


class Charts:
    """The SVG charts of one render, each shown as an `<img>` the fetcher serves from memory:
    inline SVG would put every path and label through the HTML parser and the CSS cascade."""

    def __init__(self):
        self.svgs: list[bytes] = []

    def image(self, svg: Markup) -> Markup:
        self.svgs.append(str(svg).encode())
        return Markup('<img src="{}{}" alt="">').format(CHART_PREFIX, len(self.svgs) - 1)

    def get(self, url: str) -> bytes | None:
        number = url.removeprefix(CHART_PREFIX)
        if url.startswith(CHART_PREFIX) and number.isdigit() and int(number) < len(self.svgs):
            return self.svgs[int(number)]
        return None


class StaticOnlyFetcher(URLFetcher):
    """Serves `report-static:NAME` from the static folder and `report-chart:N` from `charts`;
    refuses everything else (file:, http(s):, data:, relative paths, anything outside the
    folder)."""

    def __init__(self, static_dir: str | Path, charts: Charts | None = None):
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.static_dir = Path(static_dir).resolve()
        self.charts = charts or Charts()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if (chart := self.charts.get(url)) is not None:
            return URLFetcherResponse(url, chart, {"Content-Type": "image/svg+xml"})
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            raise FetchRefused(f"the report may only load its own static files, not {url[:60]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def _static_path(self, url: str) -> Path | None:
        if not url.startswith(STATIC_PREFIX):
            return None
        path = (self.static_dir / url.removeprefix(STATIC_PREFIX)).resolve()
        if not path.is_relative_to(self.static_dir) or path.suffix not in ALLOWED_SUFFIXES:
            return None
        return path if path.is_file() else None


def _lean_user_agent_sheet() -> CSS:
    """WeasyPrint's default sheet without its rules for every element's ::marker and footnote
    and note pseudo-elements (six per element, a fifth of a long report's time); list items
    keep their markers. Our documents have no footnotes."""
    source = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text()
    source = re.sub(r"^::(?:footnote|note)-[\w-]+ \{[^}]*\}$", "", source, flags=re.MULTILINE)
    return CSS(string=source.replace("\n::marker {", "\nli::marker {"))


LEAN_USER_AGENT_SHEET = _lean_user_agent_sheet()


class _PrintHTML(HTML):
    def _ua_stylesheets(self, forms=False):  # WeasyPrint 70's hook (pinned in pyproject)
        return [LEAN_USER_AGENT_SHEET]


def html_to_pdf(html: str, static_dir: str | Path, fetcher: StaticOnlyFetcher | None = None
                ) -> bytes:
    """The PDF of `html`; stylesheets are referenced as `report-static:report.css`."""
    return laid_out(html, static_dir, fetcher).write_pdf()


def laid_out(html: str, static_dir: str | Path, fetcher: StaticOnlyFetcher | None = None):
    """The laid-out document of `html` (its `pages`, then `write_pdf()`), fetching only our
    static files: for a PDF that must fit a number of pages."""
    fetcher = fetcher or StaticOnlyFetcher(static_dir)
    return _PrintHTML(string=html, base_url=None, url_fetcher=fetcher).render()
