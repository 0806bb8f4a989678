"""The audit trail in words: each action code as a sentence with parameters ("lead1 opened
K-103"), naming what the ids in its subject stand for. Plain functions over plain data."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# One sentence per action code; %(who)s is the person who acted.
WORDS = {
    "client.view": _l("%(who)s opened %(client)s"),
    "client.prompts": _l("%(who)s took the prompt cards of %(client)s offline"),
    "client.hand_over": _l("%(who)s opened %(client)s to hand it over"),
    "client.close": _l("%(who)s opened %(client)s to close the case"),
    "client.reopen": _l("%(who)s opened %(client)s to reopen the case"),
    "capture.form": _l("%(who)s opened the capture form of %(client)s"),
    "capture.view": _l("%(who)s opened a capture of %(client)s"),
    "debrief.view": _l("%(who)s opened the debrief of %(client)s"),
    "goals.view": _l("%(who)s opened the agreed goals of %(client)s"),
    "handover.seen": _l("%(who)s read the hand-over note of %(client)s"),
    "pair.view": _l("%(who)s opened the pair page of %(pair)s"),
    "worker.view": _l("%(who)s opened the worker page of %(user)s"),
    "members.listed": _l("%(who)s opened the list of new members"),
    "clients.listed": _l("%(who)s saw a list of %(count)s client codes on %(place)s"),
    "capture.created": _l("%(who)s saved a capture of %(client)s"),
    "capture.edited": _l("%(who)s changed a capture of %(client)s"),
    "phase.changed": _l("%(who)s changed the phase of %(client)s"),
    "suggestion.dismissed": _l("%(who)s set aside a phase suggestion for %(client)s"),
    "warnings.acknowledged": _l("%(who)s acknowledged warning signs of %(client)s"),
    "milestone.added": _l("%(who)s added a milestone for %(client)s"),
    "milestone.updated": _l("%(who)s updated a milestone of %(client)s"),
    "review.held": _l("%(who)s held a review with %(client)s"),
    "review.interval": _l("%(who)s changed how often %(client)s is reviewed"),
    "rating.saved": _l("%(who)s saved the monthly ratings of %(client)s"),
    "debrief.open": _l("%(who)s opened the comparison of a meeting with %(client)s"),
    "debrief.next_step": _l("%(who)s wrote the agreed next step for %(client)s"),
    "debrief.close": _l("%(who)s closed the comparison of a meeting with %(client)s"),
    "client.handed_over": _l("%(who)s handed %(client)s over to %(other)s"),
    "client.closed": _l("%(who)s closed the case of %(client)s (%(reason)s)"),
    "client.reopened": _l("%(who)s reopened the case of %(client)s"),
    "client.created": _l("%(who)s added the client %(client)s"),
    "assignment.created": _l("%(who)s assigned %(user)s to %(client)s"),
    "report.generated": _l("%(who)s downloaded the %(month)s report"),
    "report.funders_csv": _l("%(who)s downloaded the funders' figures to %(month)s (CSV)"),
    "report.funders_pdf": _l("%(who)s downloaded the funders' figures to %(month)s (PDF)"),
    "goals.printed": _l("%(who)s printed the agreed goals of %(client)s"),
    "audit.viewed": _l("%(who)s read the audit trail"),
    "audit.exported": _l("%(who)s exported %(count)s audit entries as CSV"),
    "login": _l("%(who)s signed in"),
    "login.password_ok": _l("%(who)s gave the right password (the code was next)"),
    "login.failed": _l("%(who)s failed to sign in as %(user)s"),
    "login.throttled": _l("Sign-in as %(user)s was paused after too many failures"),
    "logout": _l("%(who)s signed out"),
    "session.expired": _l("The session of %(who)s expired"),
    "session.unlocked": _l("%(who)s unlocked the screen"),
    "session.unlock_failed": _l("%(who)s gave a wrong PIN at the lock screen"),
    "session.ended": _l("The session of %(who)s ended after wrong PINs"),
    "mfa.failed": _l("%(who)s gave a wrong sign-in code"),
    "mfa.throttled": _l("Sign-in codes for %(who)s were paused after too many failures"),
    "mfa.unavailable": _l("The sign-in code of %(who)s could not be checked"),
    "mfa.recovery_used": _l("%(who)s used a recovery code (%(left)s left)"),
    "mfa.enrolled": _l("%(who)s set up a second factor"),
    "mfa.enrol_failed": _l("%(who)s tried to set up a second factor and failed"),
    "mfa.reset": _l("%(who)s reset the second factor of %(user)s"),
    "password.changed": _l("%(who)s changed their password"),
    "password.rehashed": _l("The stored password of %(who)s was renewed"),
    "pin.set": _l("%(who)s set a PIN"),
    "passkey.added": _l("%(who)s added a passkey"),
    "passkey.add_failed": _l("%(who)s tried to add a passkey and failed"),
    "passkey.removed": _l("%(who)s removed a passkey"),
    "account.language": _l("%(who)s chose a language"),
    "account.reauth_failed": _l("%(who)s gave a wrong current password"),
    "account.reauth_throttled": _l("Password checks for %(who)s were paused"),
    "team.created": _l("%(who)s created the team %(team)s"),
    "user.created": _l("%(who)s created the account %(user)s"),
    "user.enabled": _l("%(who)s enabled the account %(user)s"),
    "user.disabled": _l("%(who)s disabled the account %(user)s"),
    "user.sessions_ended": _l("%(who)s ended the sessions of %(user)s"),
    "user.invited": _l("%(who)s invited %(user)s"),
    "user.confirmed": _l("%(who)s confirmed the account %(user)s"),
    "invitation.completed": _l("%(who)s accepted the invitation"),
    "invitation.failed": _l("%(who)s used an invitation link that did not work"),
    "pair.created": _l("%(who)s paired %(user)s with %(other)s"),
    "retention.purged": _l("%(who)s removed records older than %(before)s"),
    "user.deactivated": _l("%(who)s deactivated the account %(user)s"),
    "user.reactivated": _l("%(who)s reactivated the account %(user)s"),
    "assignment.removed": _l("%(who)s took %(user)s off %(client)s"),
    "client.code_corrected": _l("%(who)s corrected the code of %(client)s"),
    "pair.dissolved": _l("%(who)s ended the pair %(pair)s"),
    "pair.restored": _l("%(who)s restored the pair %(pair)s"),
    "team.renamed": _l("%(who)s renamed the team %(team)s"),
}
REFUSED_CLIENT = _l("%(who)s was refused %(client)s")
REFUSED_PAGE = _l("%(who)s was refused a page (%(subject)s)")
UNKNOWN = _l("%(who)s: %(action)s %(subject)s")
ROLES = {"worker": _l("worker"), "lead": _l("team lead"), "admin": _l("administrator")}
PLACES = {"home": _l("the home page"), "admin": _l("the admin page"),
          "audit": _l("the audit trail")}

def refs(subject: str) -> dict[str, list[str]]:
    """The `kind:value` parts of a subject ("client:4 from:2 to:3"), values by kind in order."""
    found: dict[str, list[str]] = {}
    for token in subject.split():
        kind, colon, value = token.partition(":")
        if colon and value:
            found.setdefault(kind, []).append(value)
    return found


def number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def listed_count(value: str) -> str:
    """How many clients a listing subject names: "3:1,2,3+" says 3, "1,2" counts 2."""
    head, colon, _rest = value.partition(":")
    return head if colon else str(len([part for part in value.split(",") if part]))


@dataclass
class Names:
    """What the ids in a page of entries stand for, as far as the reader may know."""

    users: dict[int, str] = field(default_factory=dict)
    clients: dict[int, str] = field(default_factory=dict)  # codes the reader may see
    client_of: dict[tuple[str, int], int] = field(default_factory=dict)  # ("capture", 5): 7
    pairs: dict[int, tuple[int, int]] = field(default_factory=dict)
    teams: dict[int, str] = field(default_factory=dict)


RECORD_KINDS = ("capture", "meeting", "milestone", "handover")


def client_id(subject_refs: dict[str, list[str]], names: Names) -> int | None:
    """The client an entry is about: named directly, or through one of its records."""
    direct = number((subject_refs.get("client") or [None])[0])
    if direct is not None:
        return direct
    for kind in RECORD_KINDS:
        record = number((subject_refs.get(kind) or [None])[0])
        if record is not None and (kind, record) in names.client_of:
            return names.client_of[(kind, record)]
    return None


def _user(names: Names, value: str | None) -> str:
    user = number(value)
    if user is None:
        return _("an unknown name") if value is None or not value.isdigit() else value
    return names.users.get(user) or _("account no. %(id)s", id=user)


def _client(names: Names, client: int | None) -> str:
    if client is None:
        return _("a client")
    return names.clients.get(client) or _("a client outside your team")


def _pair(names: Names, value: str | None) -> str:
    pair = names.pairs.get(number(value) or 0)
    if pair is None:
        return _("a pair")
    return _("%(first)s and %(second)s", first=_user(names, str(pair[0])),
             second=_user(names, str(pair[1])))


def _who(entry) -> str:
    if entry.username:
        return entry.username
    return _("The command line") if entry.request_id == "cli" else _("Someone")


def parameters(entry, names: Names) -> dict[str, str]:
    """Every value a sentence may name, from the entry's subject and what the ids stand for."""
    from companion.clients.lifecycle import close_label
    from companion.reports.months import MonthError, month_label, parse_month

    found = refs(entry.subject or "")

    def first(kind: str) -> str | None:
        return (found.get(kind) or [None])[0]

    users = (found.get("user") or []) + [None, None]
    try:
        month = month_label(parse_month(first("month") or ""))
    except MonthError:
        month = first("month") or ""
    second = first("to") if entry.action == "client.handed_over" else users[1]
    return {
        "who": _who(entry), "client": _client(names, client_id(found, names)),
        "user": _user(names, users[0] or first("username-hash")),
        "other": _user(names, second) if second not in (None, "-") else _("nobody"),
        "pair": _pair(names, first("pair")), "team": names.teams.get(
            number(first("team")) or 0, _("a team")),
        "month": month, "count": listed_count(first("clients") or first("entries") or ""),
        "place": str(PLACES.get((entry.subject or "").split(" ")[0], _("a page"))),
        "left": first("left") or "?", "reason": close_label(first("reason")) or "",
        "before": first("before") or "?", "subject": entry.subject or "",
        "action": entry.action,
    }


def describe(entry, names: Names) -> str:
    """One entry as a sentence in the reader's language."""
    values = parameters(entry, names)
    if entry.action == "access.denied":
        about = client_id(refs(entry.subject or ""), names)
        template = REFUSED_CLIENT if about is not None else REFUSED_PAGE
    else:
        template = WORDS.get(entry.action, UNKNOWN)
    return str(template) % values
