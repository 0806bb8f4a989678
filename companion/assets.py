"""Static files fingerprinted, precompressed and cached for a year; HTML compressed where safe.

At start-up every file under static/ is copied once to instance/static/ under a name that
carries a hash of its content (app.css -> app.3f2a9c01b7d4.css), with gzip and brotli copies
beside it. WhiteNoise serves them with `Cache-Control: immutable` for a year, and
`url_for('static', filename='app.css')` gives the fingerprinted URL, so a changed file gets a
new URL and a repeat visit fetches nothing but its HTML. The plain name stays served too (for
the service worker and anything else that asks by name), revalidated on every use.

Our own scripts and style sheets are sent without their comments and indentation (whole-line
comments only, line breaks kept, so no statement changes), and scripts are joined (BUNDLES):
every page loads page.js (htmx and later.js), which adds the app's script once the load event
has run, for a worker's pages worker.js (the offline code and the app's script in one file),
so the first load is only HTML, style sheet and htmx. The separate files stay served for the
service worker, which imports two of them.

HTML is compressed only for requests the browser marks as coming from our own pages or from the
address bar (`Sec-Fetch-Site: same-origin` or `none`): see docs/security.md on BREACH.
"""

import hashlib
import os
import re
from pathlib import Path

from flask import Flask, request
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from companion.extensions import compress

YEAR = 365 * 24 * 3600
# Built from other static files, in this order (each part as slimmed below). page.js is the
# only script tag; worker.js (or app.js) comes after the load event.
BUNDLES = {"page.js": ("htmx-2.0.11.min.js", "later.js"),
           "worker.js": ("vendor/idb-keyval-6.3.0.umd.js", "outbox.js", "offline.js", "app.js")}
TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})
# Built copies per file (its parts' path, mtime, size), so the many apps of a test run hash once.
_built: dict[tuple, tuple[str, bytes, bytes, bytes]] = {}


def init_app(app: Flask) -> None:
    prefix = app.static_url_path.rstrip("/") + "/"
    manifest = build(Path(app.static_folder), Path(app.instance_path) / "static")
    immutable = {prefix + hashed for hashed in manifest.values()}
    files = WhiteNoise(app.wsgi_app, max_age=0, allow_all_origins=False,
                       add_headers_function=_nosniff,
                       immutable_file_test=lambda _path, url: url in immutable)
    files.FOREVER = YEAR
    built = Path(app.instance_path) / "static"
    for name, hashed in manifest.items():
        files.add_file_to_dictionary(prefix + hashed, str(built / hashed))
        files.add_file_to_dictionary(prefix + name, str(built / hashed))
    app.wsgi_app = files
    app.extensions["static_manifest"] = manifest

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    # Brotli quality 5 makes a page about 7 % smaller than the default 4 for 0.1 ms more.
    app.config.update(COMPRESS_REGISTER=False, COMPRESS_ALGORITHM=["br", "gzip"],
                      COMPRESS_BR_LEVEL=5, COMPRESS_BR_WINDOW=16)
    compress.init_app(app)
    app.after_request(_compress_html)


def build(source: Path, target: Path) -> dict[str, str]:
    """Copy each static file to `target` under a content-hashed name, with .gz and .br copies;
    return {name: hashed name}. Safe when several worker processes start at once."""
    target.mkdir(parents=True, exist_ok=True)
    manifest = {}
    files = {p.relative_to(source).as_posix(): p for p in source.rglob("*") if p.is_file()}
    for name in sorted(files) + sorted(b for b in BUNDLES if set(BUNDLES[b]) <= set(files)):
        parts = [(part, files[part]) for part in BUNDLES.get(name, (name,))]
        hashed, data, gz, br = _fingerprinted(name, parts)
        manifest[name] = hashed
        destination = target / hashed
        if not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            for suffix, content in ((".gz", gz), (".br", br), ("", data)):  # the original last
                if content:
                    _write_atomically(Path(f"{destination}{suffix}"), content)
    return manifest


def slim(name: str, data: bytes) -> bytes:
    """Our own .js and .css without comment-only lines, indentation and blank lines; vendored and
    minified files as they are. Line breaks stay, so JavaScript's statements end where they did."""
    if name.startswith("vendor/") or ".min." in name or not name.endswith((".js", ".css")):
        return data
    text = data.decode("utf-8")
    if name.endswith(".css"):
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    lines = (line.strip() for line in text.splitlines())
    return "".join(f"{line}\n" for line in lines if line and not line.startswith("//")).encode()


def _fingerprinted(name: str, parts: list[tuple[str, Path]]) -> tuple[str, bytes, bytes, bytes]:
    key = (name, *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for _n, p in parts))
    if key not in _built:
        data = b";\n".join(slim(part, path.read_bytes()) for part, path in parts)
        digest = hashlib.sha256(data).hexdigest()[:12]
        stem, dot, suffix = name.rpartition(".")
        hashed = f"{stem}.{digest}.{suffix}" if dot and "/" not in suffix else f"{name}.{digest}"
        compressible = Compressor(quiet=True).should_compress(name)
        gz = Compressor.compress_gzip(data) if compressible else b""
        br = Compressor.compress_brotli(data) if compressible else b""
        _built[key] = (hashed, data, gz if len(gz) < len(data) else b"",
                       br if len(br) < len(data) else b"")
    return _built[key]


def _write_atomically(path: Path, content: bytes) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(content)
    partial.replace(path)


def _nosniff(headers, _path, _url) -> None:
    headers["X-Content-Type-Options"] = "nosniff"


def _compress_html(response):
    """Compress only what our own pages (or the address bar) asked for; never cross-site."""
    response.vary.add("Sec-Fetch-Site")
    if request.headers.get("Sec-Fetch-Site") in TRUSTED_FETCH_SITES:
        return compress.after_request(response)
    return response
