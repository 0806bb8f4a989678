"""Every Flask CLI command: accounts, teams, clients, the demo team, reports, retention."""

import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from companion import audit, demo, retention
from companion.admin import operations
from companion.extensions import db
from companion.models import Client, Team, User
from companion.reports import render
from companion.reports.months import MonthError, parse_month


def init_app(app: Flask) -> None:
    for command in (create_team, create_user, confirm_member, create_client, assign, seed_demo,
                    report_cli, purge, audit_cli, translate_cli):
        app.cli.add_command(command)


def _team(name: str | None) -> Team | None:
    if name is None:
        return None
    team = db.session.scalar(select(Team).where(Team.name == name))
    if team is None:
        raise click.BadParameter(f"no team called {name!r}", param_hint="--team")
    return team


def _run(action) -> None:
    try:
        message = action()
    except operations.AdminError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(message)


@click.command("create-team")
@click.argument("name")
def create_team(name):
    """Add a team."""
    _run(lambda: f"team {operations.create_team(name).name} created")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["worker", "lead", "admin"]), required=True)
@click.option("--team", help="Team name (not for admins).")
@click.password_option(envvar="COMPANION_NEW_PASSWORD")
def create_user(username, role, team, password):
    """Add an account; the password is asked for, or read from COMPANION_NEW_PASSWORD."""
    _run(lambda: f"user {operations.create_user(username, password, role, _team(team)).username} "
         "created; after their first sign-in, confirm them with `flask confirm-member "
         f"{username}` (or their team lead does)")


@click.command("confirm-member")
@click.argument("username")
def confirm_member(username):
    """Confirm an account its owner has set up (a new team's first lead, an admin)."""
    from companion.members import operations as members

    def action():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise operations.AdminError(f"no account called {username!r}")
        members.confirm(user, None, current_app.config["REQUIRE_TOTP"])
        return f"{username} is confirmed"

    _run(action)


@click.command("create-client")
@click.argument("code")
@click.option("--team", required=True)
def create_client(code, team):
    """Add a pseudonymous client to a team."""
    _run(lambda: f"client {operations.create_client(code, _team(team)).code} created")


@click.command("assign")
@click.argument("code")
@click.argument("username")
@click.option("--team", required=True)
@click.option("--role", type=click.Choice(["lead_worker", "co_worker"]), default="lead_worker")
def assign(code, username, team, role):
    """Assign a worker to a client of their team."""

    def action():
        team_row = _team(team)
        client = db.session.scalar(
            select(Client).where(Client.team_id == team_row.id, Client.code == code.upper())
        )
        user = db.session.scalar(select(User).where(User.username == username))
        if client is None or user is None:
            raise operations.AdminError("unknown client or user")
        operations.assign(client, user, role)
        return f"{username} assigned to {client.code} as {role}"

    _run(action)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when there are no users yet.")
def seed_demo(if_empty):
    """Create the demo teams, users and about three months of history (idempotent)."""
    has_users = db.session.scalar(select(User.id).limit(1)) is not None
    if not (if_empty and has_users):
        demo.seed()
        db.session.commit()
    click.echo(demo.logins_text())


@click.group("report")
def report_cli():
    """Reports for team leads."""


def _team_and_month(team_name: str, month: str):
    team = db.session.scalar(select(Team).where(Team.name == team_name))
    if team is None:
        raise click.BadParameter(f"no team called {team_name!r}", param_hint="--team")
    try:
        return team, parse_month(month)
    except MonthError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None


def _write_private(out: Path, data: bytes, what: str) -> None:
    """Write `data` readable by the owner only, then commit the generation's audit entry."""
    try:
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        db.session.rollback()
        raise click.ClickException(f"cannot write {out}: {exc.strerror}") from None
    db.session.commit()
    click.echo(f"{out}: {what}, {len(data) // 1024 + 1} KB")


TEAM = click.option("--team", "team_name", required=True, help="Team name, as in the admin page.")
MONTH = click.option("--month", required=True, help="YYYY-MM, for example 2026-10.")


@report_cli.command("monthly")
@TEAM
@MONTH
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF (readable by you only).")
def monthly(team_name: str, month: str, out: Path):
    """Write a team's monthly PDF summary; the generation is audited."""
    team, first = _team_and_month(team_name, month)
    _write_private(out, render.monthly_report_pdf(team, first), f"{team.name}, {month}")


@report_cli.command("funders")
@TEAM
@MONTH
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.csv or FILE.pdf (readable by you only).")
def funders(team_name: str, month: str, out: Path):
    """Write the funders' figures (six months to MONTH, small counts as <3); audited."""
    if out.suffix not in (".csv", ".pdf"):
        raise click.BadParameter("give a file name ending in .csv or .pdf", param_hint="--out")
    team, first = _team_and_month(team_name, month)
    data = (render.funders_csv(team, first).encode() if out.suffix == ".csv"
            else render.funders_pdf(team, first))
    _write_private(out, data, f"{team.name}, six months to {month}")


@click.command("purge")
@click.option("--months", type=click.IntRange(min=1), help="Override RETENTION_MONTHS.")
def purge(months):
    """Delete captures older than the retention period; anonymous monthly figures stay."""
    counts = retention.purge(months=months)
    db.session.commit()
    click.echo(", ".join(f"{count} {name} deleted" for name, count in counts.items()))


audit_cli = AppGroup("audit", help="The audit log.")


@audit_cli.command("verify")
def audit_verify():
    """Recompute the audit log's hash chain; report the first broken link (exit status 1)."""
    with db.engine.connect() as connection:
        verdict = audit.verify(connection, audit.chain_key())
    unchained = f", {verdict.unchained} older entries without a hash" if verdict.unchained else ""
    if not verdict.intact:
        raise click.ClickException(
            f"audit log chain broken: {verdict.problem} ({verdict.checked} entries before it "
            f"verified{unchained})")
    click.echo(f"audit log chain intact: {verdict.checked} entries verified{unchained}; "
               f"head {verdict.head[:16] or '(empty)'}")


@audit_cli.command("grants")
@click.argument("role")
def audit_grants(role):
    """Print the PostgreSQL GRANTs for an app ROLE that owns no table (run them as the owner)."""
    for statement in audit.app_role_grants(role, db.metadata.sorted_tables):
        click.echo(statement + ";")


translate_cli = AppGroup("translate", help="Message catalogues (see README, Languages).")
ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = Path(__file__).resolve().parent / "translations"
POT = CATALOGUES / "messages.pot"


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *args])


@translate_cli.command("extract")
def translate_extract():
    """Collect every message of the Python code and the templates into messages.pot."""
    _pybabel("extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "--no-location",
             "--sort-output", "-o", str(POT), str(ROOT))


@translate_cli.command("update")
def translate_update():
    """Extract, then merge new messages into every language's catalogue."""
    translate_extract.callback()
    _pybabel("update", "-i", str(POT), "-d", str(CATALOGUES), "--no-fuzzy-matching",
             "--ignore-obsolete")


@translate_cli.command("compile")
def translate_compile():
    """Compile the catalogues (.po to .mo); `make install` does this."""
    _pybabel("compile", "-d", str(CATALOGUES))
