"""Reading the audit log: leads see their team's trail, admins see account events. Both are
in words on the team's clock, filtered, paged and exported as CSV; each reading and each
export is itself written to the trail."""

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from companion import access, audit
from companion.audit import export, kinds, trail, words
from companion.clock import local_now
from companion.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/audit")


TEAM = ("audit.team", "audit.team_csv")  # the page and its CSV
ACCOUNTS = ("audit.accounts", "audit.accounts_csv")


@bp.get("/team")
@access.allow("lead")
def team():
    return _listing(trail.team_scope(current_user), _("Your team's audit trail"), TEAM)


@bp.get("/accounts")
@access.allow("admin")
def accounts():
    return _listing(trail.account_scope(), _("Account events"), ACCOUNTS)


@bp.get("/team.csv")
@access.allow("lead")
def team_csv():
    return _export(trail.team_scope(current_user), _("Your team's audit trail"), TEAM)


@bp.get("/accounts.csv")
@access.allow("admin")
def accounts_csv():
    return _export(trail.account_scope(), _("Account events"), ACCOUNTS)


def _listing(scope: trail.Scope, title: str, endpoints: tuple[str, str], errors=None):
    """One page of the filtered trail; values the reader cannot choose are a 400 that says so."""
    chosen, found = trail.read_filters(request.args, scope)
    errors = {**found, **(errors or {})}
    page = None if found else trail.page_of(scope, chosen)
    shown = trail.lines(page.items, scope) if page else []
    audit.record("audit.viewed", f"{scope.subject} {chosen.key()}".strip())
    audit.listed("audit", [line.client[0] for line in shown if line.client]
                 + [client for client, _code in scope.clients or ()])
    html = render_template("audit/list.html", scope=scope, page=page, lines=shown, title=title,
                           chosen=chosen, errors=errors, endpoints=endpoints,
                           kinds=[(kind, kinds.KINDS[kind][0]) for kind in scope.kinds],
                           person_ids=dict(scope.people), roles=words.ROLES,
                           this_month=local_now().date().replace(day=1))
    db.session.commit()
    return html, 400 if errors else 200


def _export(scope: trail.Scope, title: str, endpoints: tuple[str, str]):
    """The filtered trail as a CSV download (audited with the filters, so it can be redone)."""
    chosen, errors = trail.read_filters(request.args, scope)
    if errors:
        return _listing(scope, title, endpoints)
    try:
        body, total, newest = export.trail_csv(scope, chosen)
    except export.TooMany as exc:
        return _listing(scope, title, endpoints, {"export": str(exc)})
    audit.record("audit.exported",
                 f"{scope.subject} entries:{total} upto:{newest} {chosen.key()}".strip())
    db.session.commit()
    name = f"audit-{scope.subject.replace(':', '-')}-{local_now():%Y-%m-%d}.csv"
    return Response("\ufeff" + body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
