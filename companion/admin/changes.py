"""Changes an admin makes inside one team: unassign a worker, dissolve or restore a pair,
rename the team, correct a client's code. Each is audited; each can be undone."""

import re

from flask_babel import gettext as _
from sqlalchemy import select

from companion import audit
from companion.admin.operations import CLIENT_CODE, AdminError
from companion.clients import handover
from companion.extensions import db
from companion.models import Assignment, Client, Pair, Team, User, utcnow


def unassign(assignment: Assignment, seen_version: int, by: User) -> None:
    """The worker stops working with the client at once (a hand-over to no one, so their
    open pages are told so); refused if the client changed since the admin's page."""
    handover.hand_over(assignment.client, seen_version, by, assignment.user, None)
    audit.record("assignment.removed",
                 f"client:{assignment.client_id} user:{assignment.user_id}")


def unassigned_pair(client_id: str, worker_id: str) -> tuple[Client | None, User | None]:
    """The client and worker an already removed assignment was, from the confirmation form."""
    if not all(re.fullmatch(r"[0-9]{1,9}", value or "") for value in (client_id, worker_id)):
        return None, None  # not an id this form sends (a larger one would overflow SQLite)
    return db.session.get(Client, int(client_id)), db.session.get(User, int(worker_id))


def dissolve(pair: Pair) -> None:
    """The pair ends; its shared meetings and debriefs stay readable."""
    if pair.ended_at is None:
        pair.ended_at = utcnow()
        audit.record("pair.dissolved", f"pair:{pair.id}")


def restore(pair: Pair) -> None:
    if not (pair.first.active and pair.second.active):
        raise AdminError(_("A pair is two active workers."))
    if pair.ended_at is not None:
        pair.ended_at = None
        audit.record("pair.restored", f"pair:{pair.id}")


def rename_team(team: Team, name: str) -> str | None:
    """The old name, for the undo; None when the team has that name already (a double tap)."""
    name, old = name.strip(), team.name
    if not name or len(name) > 80:
        raise AdminError(_("A team name is 1 to 80 characters."))
    if name == old:
        return None
    if db.session.scalar(select(Team.id).where(Team.name == name)):
        raise AdminError(_("There is already a team called %(name)s.", name=name))
    team.name = name
    audit.record("team.renamed", f"team:{team.id} from:{old[:40]} to:{name[:40]}")
    return old


def correct_code(client: Client, code: str, was: str = "") -> str | None:
    """A mistyped code corrected; the old code stays in the audit log. The old code, for undo;
    None when the form was drawn for the code `was` and the client has `code` already (a
    double tap, or the same correction from two pages): nothing more to do."""
    code, old = code.strip().upper(), client.code
    if not CLIENT_CODE.match(code):
        raise AdminError(
            _("A client code is 2-32 capital letters, digits or dashes; never a name."))
    if code == old and was.strip().upper() not in ("", old):
        return None
    if code == old:
        raise AdminError(_("The code is %(code)s already.", code=old))
    if db.session.scalar(select(Client.id).where(Client.team_id == client.team_id,
                                                 Client.code == code)):
        raise AdminError(_("This team already has a client %(code)s.", code=code))
    client.code = code
    audit.record("client.code_corrected", f"client:{client.id} from:{old} to:{code}")
    return old
