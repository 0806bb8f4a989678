"""Walking the app's pages in the browser: which pages each role must reach, where a walk
starts, and how a page is named by its kind."""

from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException

from tests.support.access_table import EXPECTED, WHO

MUST_REACH = {  # clients.section: a history section's own URL (its "Open this section" link)
    "worker1": {"home.index", "clients.show", "clients.section", "clients.card", "capture.new",
                "capture.edit", "capture.meeting", "debriefs.show", "debriefs.pairs",
                "debriefs.pair", "account.index", "account.password", "account.pin"},
    "lead1": {"home.index", "clients.show", "clients.section", "clients.card", "debriefs.show",
              "debriefs.pair", "reports.index", "reports.monthly", "account.index",
              "audit.team"},
    "admin1": {"home.index", "admin.index", "account.index", "audit.accounts"},
}
# Files, not pages: opened as a document, Chromium's own viewer styles them inline.
NOT_PAGES = ("static", "home.healthz", "offline.favicon", "offline.manifest",
             "offline.service_worker", "offline.pack", "offline.token", "audit.team_csv",
             "audit.accounts_csv")
ROLES = {"worker1": "w1", "lead1": "lead", "admin1": "admin"}  # columns of the access table


def _endpoint(live_app, url):
    path = urlsplit(url).path
    try:
        endpoint, args = live_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return None, None
    # One page per kind of route; each card part is its own kind.
    kind = (endpoint, tuple(sorted((k, v) for k, v in args.items() if not isinstance(v, int))))
    return endpoint, kind


def _links(page):
    return page.eval_on_selector_all(
        "a[href]", "links => links.filter(a => !a.hasAttribute('download')).map(a => a.href)")


def _start_pages(live_app, role):
    """Every page without a record id that the access table opens (200) to this role."""
    column = WHO.index(role)
    return sorted(
        rule.rule for rule in live_app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments
        and rule.endpoint not in NOT_PAGES
        and not rule.endpoint.startswith("auth.")
        and EXPECTED[f"{rule.endpoint} GET"][column] == 200)


def walk(page, live_app, live_url, role):
    """Open every page without an id open to the role, then every kind of page linked from
    those; yields each page's endpoint once the page has loaded (the caller checks the page)."""
    queue, seen_kinds = [live_url + path for path in _start_pages(live_app, role)], set()
    while queue:
        url = queue.pop(0)
        endpoint, kind = _endpoint(live_app, url)
        if (not url.startswith(live_url) or endpoint in (None, "static", "auth.logout")
                or kind in seen_kinds):
            continue
        seen_kinds.add(kind)
        response = page.goto(url)
        assert response.ok, (url, response.status)
        yield endpoint
        queue += [link.split("#")[0] for link in _links(page)]
