"""One way for a view to answer: the whole page, or the htmx fragment the page includes."""

from flask import make_response, redirect, render_template

from companion.extensions import htmx

FRAGMENT_HEADER = "Companion-Fragment"  # names the fragment template; static/outbox.js reads it


def wants_fragment() -> bool:
    """An htmx request for a fragment: not a boosted navigation, not a history restore (those
    want the whole page)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def page_or_fragment(page: str, fragment: str, status: int = 200, **context):
    """Render `fragment` for an htmx request, else `page`, both with the same context."""
    if not wants_fragment():
        return render_template(page, **context), status
    return render_fragment(fragment, status, **context)


def render_fragment(fragment: str, status: int = 200, **context):
    """A fragment alone, with a header naming it."""
    response = make_response(render_template(fragment, **context), status)
    response.headers[FRAGMENT_HEADER] = fragment
    return response


def see_other(location: str):
    """After a change, a 303 to the page that shows it (so a reload does not post again)."""
    return redirect(location, 303)
