"""The monthly report: one function renders it for the web and for the command line."""

import re
import unicodedata
from datetime import UTC, date, datetime

from flask import current_app, render_template

from companion import audit, content
from companion.clock import local_now, team_zone
from companion.models import Team
from companion.reports import charts, funders, queries, trend_charts
from companion.reports.figures import monthly_figures
from companion.reports.months import month_key, month_label, parse_month, short_month
from companion.reports.pdf import Charts, StaticOnlyFetcher, html_to_pdf
from companion.reports.trend import trend_rows
from companion.reports.wording import dimension_change
from companion.vocabulary import ATTENDANCE


def monthly_report_pdf(team: Team, month: date) -> bytes:
    """The team's report for `month` as PDF bytes; the generation is audited (caller commits)."""
    data = queries.report_data(team, month, today=local_now().date())
    figures = monthly_figures(data, content.current().vocabulary)
    zone = team_zone()
    drawn = Charts()
    html = render_template(
        "reports/monthly.html",
        figures=figures,
        image=drawn.image,
        month_label=month_label(month),
        minutes=format_minutes,
        charts=charts,
        dimension_change=dimension_change,
        attendance=tuple(ATTENDANCE),
        trend_rows=trend_rows,
        trend_charts=trend_charts,
        short_month=short_month,
        decimal=decimal,
        ratio=ratio,
        generated_at=datetime.now(UTC).astimezone(zone),
    )
    static = current_app.static_folder
    pdf = html_to_pdf(html, static, StaticOnlyFetcher(static, drawn))
    audit.record("report.generated", f"team:{team.id} month:{month_key(month)}")
    return pdf


def funders_rows(team: Team, month: date) -> list[dict[str, str]]:
    data = queries.report_data(team, month, today=local_now().date())
    return funders.published_rows(data, content.current().vocabulary)


def funders_csv(team: Team, month: date) -> str:
    """The funders' figures as CSV; audited like the PDF (caller commits)."""
    text = funders.to_csv(funders_rows(team, month))
    audit.record("report.funders_csv", f"team:{team.id} month:{month_key(month)}")
    return text


def funders_pdf(team: Team, month: date) -> bytes:
    """The funders' figures on one page; audited (caller commits)."""
    html = render_template(
        "reports/funders.html", team_name=team.name, month_label=month_label(month),
        rows=funders_rows(team, month), columns=funders.columns(), small=funders.SMALL,
        generated_at=datetime.now(UTC).astimezone(team_zone()), short_month=short_month,
        parse_month=parse_month,
    )
    pdf = html_to_pdf(html, current_app.static_folder)
    audit.record("report.funders_pdf", f"team:{team.id} month:{month_key(month)}")
    return pdf


def report_filename(team: Team, month: date, ending: str = ".pdf") -> str:
    """`demo-team-2026-10.pdf`: the team's name in lowercase ASCII words, then the month."""
    ascii_name = unicodedata.normalize("NFKD", team.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or f"team-{team.id}"
    return f"{slug}-{month_key(month)}{ending}"


def format_minutes(minutes: float) -> str:
    """35 min, 2 h 05 min, 3 d 4 h."""
    minutes = round(minutes)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def decimal(value: float | None) -> str:
    """1.5, or a dash for a figure not known."""
    return "–" if value is None else f"{value:.1f}"


def ratio(value: float | None) -> str:
    """0.42, or a dash."""
    return "–" if value is None else f"{value:.2f}"
