"""Installable and usable without signal: the manifest, the service worker, and the pages it
keeps on the phone.

A worker's pack (what the service worker caches) holds only pages without client records: an
offline home with codes and phases, each current client's prompt cards and capture screen. The
service worker asks for them with `X-Offline-Pack: 1` and keeps only answers marked
`X-Offline: cacheable`, so a page with records or a PDF can never end up in its cache.
"""

import hashlib
import json
from pathlib import Path

from flask import (
    Blueprint,
    after_this_request,
    current_app,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from companion import access
from companion.clients.brief import card_context
from companion.extensions import db
from companion.models import Client
from companion.vocabulary import PARTS

bp = Blueprint("offline", __name__)

# What every page needs, cached when the service worker installs (fingerprinted URLs welcome).
SHELL = ("app.css", "page.js", "worker.js", "outbox.js",
         "vendor/idb-keyval-6.3.0.umd.js", "icons/icon-32.png", "icons/icon-192.png")
WORKER_SCRIPTS = ("vendor/idb-keyval-6.3.0.umd.js", "outbox.js")
PACK_HEADER = "X-Offline-Pack"
CACHEABLE = {"X-Offline": "cacheable"}


def packing() -> bool:
    """This request is the service worker filling its pack: mark the answer as fit to keep."""
    if request.headers.get(PACK_HEADER) != "1":
        return False

    @after_this_request
    def mark(response):
        response.headers.update(CACHEABLE)
        return response

    return True


@bp.app_template_global()
def offline_copy() -> bool:
    return request.headers.get(PACK_HEADER) == "1"


@bp.get("/sw.js")
@access.public
def service_worker():
    assets = [url_for("static", filename=name) for name in SHELL]
    script = (Path(current_app.static_folder) / "sw.js").read_text(encoding="utf-8")
    release = current_app.config.get("OFFLINE_RELEASE", "1")
    version = hashlib.sha256(f"{release}{assets}{script}".encode()).hexdigest()[:12]
    scripts = [url_for("static", filename=name) for name in WORKER_SCRIPTS]
    config = {"version": version, "assets": assets, "scripts": scripts,
              "static": url_for("static", filename=""), "home": url_for(".home"),
              "pack": url_for(".pack"), "token": url_for(".token")}
    script = script.replace('"__SHELL__"', json.dumps(config))
    return script, 200, {"Content-Type": "text/javascript; charset=utf-8"}


@bp.get("/manifest.webmanifest")
@access.public
def manifest():
    icons = [{"src": url_for("static", filename=f"icons/{name}"), "sizes": size,
              "type": "image/png", "purpose": purpose}
             for name, size, purpose in (("icon-192.png", "192x192", "any"),
                                         ("icon-512.png", "512x512", "any"),
                                         ("maskable-512.png", "512x512", "maskable"))]
    body = {"name": _("Alliance Companion"), "short_name": _("Companion"),
            "start_url": url_for("home.index"), "scope": "/", "display": "standalone",
            "background_color": "#ffffff", "theme_color": "#0b5cad", "icons": icons}
    return json.dumps(body), 200, {"Content-Type": "application/manifest+json"}


@bp.get("/favicon.ico")
@access.public
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.ico",
                               mimetype="image/vnd.microsoft.icon")


@bp.get("/offline")
@access.allow("worker")
def home():
    clients = db.session.scalars(access.visible_clients(current_user)
                                 .where(Client.closed_at.is_(None)).order_by(Client.code))
    return render_template("offline/home.html", clients=list(clients)), 200, CACHEABLE


@bp.get("/clients/<int:client_id>/prompts")
@access.allow("worker")
def prompts(client_id: int):
    client = access.load_client(client_id, "client.prompts")
    db.session.commit()
    cards = [card_context(client, part) for part in PARTS]
    return render_template("offline/prompts.html", client=client, cards=cards), 200, CACHEABLE


@bp.get("/offline/pack")
@access.allow("worker")
def pack():
    """The pages the service worker keeps for this worker: codes and phases only."""
    ids = db.session.scalars(access.visible_clients(current_user)
                             .where(Client.closed_at.is_(None)).with_only_columns(Client.id))
    pages = [url_for(".home")]
    for client_id in ids:
        pages += [url_for(".prompts", client_id=client_id),
                  url_for("capture.new", client_id=client_id)]
    return json.dumps({"user": current_user.id, "pages": pages}), 200, {
        "Content-Type": "application/json"}


@bp.get("/offline/token")
@access.allow("worker")
def token():
    """A fresh CSRF token for sending the queue, and whose session it is."""
    return "", 204, {"X-CSRFToken": generate_csrf(), "X-User": str(current_user.id)}
