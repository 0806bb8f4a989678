"""The lead's reports page, the monthly PDF and the funders' figures; only the team's own lead
gets any of them."""

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from companion import access
from companion.clock import local_now
from companion.extensions import db
from companion.reports import queries, render
from companion.reports.months import MonthError, month_key, month_label, parse_month

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/")
@access.allow("lead")
def index():
    team = access.load_team(current_user.team_id)
    this_month = month_key(local_now().date())
    months = [(key, month_label(parse_month(key)), key == this_month)
              for key in queries.months_with_data(team.id)]
    error = None
    if "month" in request.args:
        try:
            month = parse_month(request.args["month"])
        except MonthError as exc:
            error = str(exc)
        else:
            return redirect(url_for(".monthly", team_id=team.id, month=month_key(month)), 303)
    page = render_template("reports/index.html", team=team, months=months, error=error)
    return page, 400 if error else 200


def _team_month(team_id: int, month: str):
    """The team (its lead only) and the first day of `month`, or a 400 saying what is wrong."""
    team = access.load_team(team_id)
    try:
        return team, parse_month(month)
    except MonthError as exc:
        error = BadRequest(str(exc))
        error.show_to_user = True
        raise error from None


def _download(body, mimetype: str, filename: str) -> Response:
    db.session.commit()  # the audit entry of the generation
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


@bp.get("/<int:team_id>/<month>.pdf")
@access.allow("lead")
def monthly(team_id: int, month: str):
    team, first = _team_month(team_id, month)
    pdf = render.monthly_report_pdf(team, first)
    return _download(pdf, "application/pdf", render.report_filename(team, first))


@bp.get("/<int:team_id>/<month>/funders.csv")
@access.allow("lead")
def funders_csv(team_id: int, month: str):
    team, first = _team_month(team_id, month)
    text = render.funders_csv(team, first)
    return _download(text, "text/csv", render.report_filename(team, first, "-funders.csv"))


@bp.get("/<int:team_id>/<month>/funders.pdf")
@access.allow("lead")
def funders_pdf(team_id: int, month: str):
    team, first = _team_month(team_id, month)
    pdf = render.funders_pdf(team, first)
    return _download(pdf, "application/pdf", render.report_filename(team, first, "-funders.pdf"))
