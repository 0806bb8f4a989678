"""`flask report monthly --team NAME --month YYYY-MM --out FILE.pdf`."""

import os
from pathlib import Path

import click
from sqlalchemy import select

from companion.extensions import db
from companion.models import Team
from companion.reports import operations
from companion.reports.months import MonthError, parse_month


@click.group("report")
def report_cli():
    """Reports for team leads."""


@report_cli.command("monthly")
@click.option("--team", "team_name", required=True, help="Team name, as in the admin page.")
@click.option("--month", required=True, help="YYYY-MM, for example 2026-10.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF (readable by you only).")
def monthly(team_name: str, month: str, out: Path):
    """Write a team's monthly PDF summary; the generation is audited."""
    team = db.session.scalar(select(Team).where(Team.name == team_name))
    if team is None:
        raise click.BadParameter(f"no team called {team_name!r}", param_hint="--team")
    try:
        first = parse_month(month)
    except MonthError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None
    pdf = operations.monthly_report_pdf(team, first)
    try:
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pdf)
    except OSError as exc:
        db.session.rollback()
        raise click.ClickException(f"cannot write {out}: {exc.strerror}") from None
    db.session.commit()
    click.echo(f"{out}: {team.name}, {month}, {len(pdf) // 1024 + 1} KB")
