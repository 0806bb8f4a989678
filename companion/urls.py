"""One check for every redirect target a request supplies (`next`, the page a lock kept)."""

from urllib.parse import urlsplit

from flask import url_for

# Browsers drop these anywhere in a URL, so "/\t/evil.example" is "//evil.example" to them.
_DROPPED_BY_BROWSERS = str.maketrans("", "", "\t\r\n")


def as_browsers_read(url: str) -> str:
    return url.translate(_DROPPED_BY_BROWSERS)


def local_path(target: str | None) -> str | None:
    """`target` as a path on this site, or None when it could lead anywhere else."""
    if not target:
        return None
    target = as_browsers_read(target)
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target:
        return None
    return target


def local_or_home(target: str | None) -> str:
    return local_path(target) or url_for("home.index")
