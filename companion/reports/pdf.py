"""HTML to PDF with WeasyPrint, fetching nothing but our own static files."""

import mimetypes
from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "report-static:"
ALLOWED_SUFFIXES = {".css", ".svg", ".png"}


class FetchRefused(ValueError):
    """A URL the report may not load."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `report-static:NAME` from the static folder; refuses everything else (file:,
    http(s):, data:, relative paths, anything outside the folder)."""

    def __init__(self, static_dir: str | Path):
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.static_dir = Path(static_dir).resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
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


def html_to_pdf(html: str, static_dir: str | Path, fetcher: StaticOnlyFetcher | None = None
                ) -> bytes:
    """The PDF of `html`; stylesheets are referenced as `report-static:report.css`."""
    return laid_out(html, static_dir, fetcher).write_pdf()


def laid_out(html: str, static_dir: str | Path, fetcher: StaticOnlyFetcher | None = None):
    """The laid-out document of `html` (its `pages`, then `write_pdf()`), fetching only our
    static files: for a PDF that must fit a number of pages."""
    fetcher = fetcher or StaticOnlyFetcher(static_dir)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).render()
