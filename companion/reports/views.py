"""The lead's reports page and the PDF download; only the team's own lead gets either."""

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


@bp.get("/<int:team_id>/<month>.pdf")
@access.allow("lead")
def monthly(team_id: int, month: str):
    team = access.load_team(team_id)
    try:
        first = parse_month(month)
    except MonthError as exc:
        error = BadRequest(str(exc))
        error.show_to_user = True
        raise error from None
    pdf = render.monthly_report_pdf(team, first)
    db.session.commit()
    filename = render.report_filename(team, first)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })
