"""The fixed words of the domain (DOMAIN.md): phases, session parts, attendance, ratings.

Each is a mapping from the stored id to its label; the labels are translatable. The marker
vocabulary (readiness, warning, moves, slips) is content a team can change: see
`companion.content`.
"""

from flask_babel import lazy_gettext as _l

PHASES = {
    "before_first_meeting": _l("Before the first meeting"),
    "first_meetings": _l("First meetings: building the alliance"),
    "change_work": _l("Change work"),
    "crisis": _l("Crisis"),
}
EARLY_PHASES = ("before_first_meeting", "first_meetings")

PARTS = {
    "beginning": _l("Beginning"),
    "middle": _l("Middle"),
    "end": _l("End"),
    "afterwards": _l("Afterwards"),
}

ATTENDANCE = {
    "held": _l("Held"),
    "cut_short": _l("Cut short"),
    "no_show": _l("No-show"),
    "cancelled": _l("Cancelled by the institution"),
}
TOOK_PLACE = ("held", "cut_short")  # the meetings whose markers and ratings count

CLOSE_REASONS = {  # why a case closes
    "completed": _l("Completed"),
    "disengaged": _l("Client disengaged"),
    "transferred": _l("Transferred to another agency"),
    "released_out_of_scope": _l("Released and out of scope"),
    "other": _l("Other"),
}

USER_ROLES = {"worker": _l("worker"), "lead": _l("team lead"), "admin": _l("administrator")}
ASSIGNMENT_ROLES = {"lead_worker": _l("lead worker"), "co_worker": _l("co-worker")}

ALLIANCE = {"goals": _l("Goals"), "tasks": _l("Tasks"), "bond": _l("Bond")}

DIMENSIONS = {
    "radicalisation": _l("Radicalisation"),
    "extremist_activity": _l("Engagement in extremist activity"),
    "crime": _l("Participation in crime"),
    "marginalisation": _l("Social marginalisation"),
    "mental_health": _l("Mental health"),
}

MILESTONE_AREAS = {
    "family": _l("Family"),
    "housing": _l("Housing"),
    "work_education": _l("Work or education"),
    "health": _l("Health"),
    "faith_community": _l("Faith or community"),
    "other": _l("Other"),
}
MILESTONE_STATUS = {"open": _l("Open"), "reached": _l("Reached"), "dropped": _l("Dropped")}


def label(words: dict, key: str) -> str:
    """The label of `key` in one of the mappings above, or the key itself if unknown."""
    return str(words.get(key, key))
