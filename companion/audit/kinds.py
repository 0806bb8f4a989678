"""The kinds of action a reader of the audit trail filters by ("Opened a record"), each a set
of action codes and code prefixes."""

from flask_babel import lazy_gettext as _l

# The kinds a reader filters by: (label, exact codes, code prefixes), in the order shown.
KINDS = {
    "opened": (_l("Opened a record"), {
        "client.view", "client.prompts", "client.hand_over", "client.close", "client.reopen",
        "capture.form", "capture.view", "debrief.view", "goals.view", "handover.seen",
        "pair.view", "worker.view", "members.listed"}, ()),
    "listed": (_l("Saw client codes in a list"), {"clients.listed"}, ()),
    "changed": (_l("Changed a record"), {
        "capture.created", "capture.edited", "phase.changed", "suggestion.dismissed",
        "warnings.acknowledged",
        "milestone.added", "milestone.updated", "review.held", "review.interval",
        "rating.saved", "debrief.open", "debrief.next_step", "debrief.close",
        "client.handed_over", "client.closed", "client.reopened"}, ()),
    "reports": (_l("Downloaded, printed or exported"),
                {"goals.printed", "audit.viewed", "audit.exported"}, ("report.", "figures.")),
    "signin": (_l("Signing in and sessions"), {"login", "logout", "password.rehashed"},
               ("login.", "session.", "mfa.failed", "mfa.throttled", "mfa.unavailable",
                "mfa.recovery_used")),
    "account": (_l("Changed their own account"), {"password.changed", "pin.set"},
                ("passkey.", "account.", "mfa.enrol")),
    "admin": (_l("Managed accounts and teams"), {
        "team.created", "team.renamed", "client.created", "client.code_corrected",
        "assignment.created", "assignment.removed", "pair.created", "pair.dissolved",
        "pair.restored", "mfa.reset", "retention.purged"}, ("user.", "invitation.")),
    "refused": (_l("Was refused"), {"access.denied"}, ()),
}
TEAM_KINDS = ("opened", "listed", "changed", "reports", "signin", "account", "refused")
ACCOUNT_KINDS = ("signin", "account", "admin", "refused", "reports")


def kind_of(action: str) -> str | None:
    """The kind an action code belongs to, if any."""
    for key, (_label, codes, prefixes) in KINDS.items():
        if action in codes or action.startswith(prefixes):
            return key
    return None
