"""The rule for each phase: when to suggest a move, the crisis card, or a way back."""

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from companion.suggestions.observations import MeetingSeen, Suggestion, live_warnings
from companion.suggestions.reasons import Reason, reason

# What counts as which sign (marker ids from companion/content/markers.toml)
CHANGE_TALK = frozenset({"change_talk_up", "sustain_talk_down"})
LIFE_AFTER_RELEASE = frozenset({"life_after_release", "family_contact", "concrete_plans"})
CRISIS_WARNINGS = ("hostility", "talk_of_quitting")
# Thresholds
READY_WINDOW = 4  # readiness is counted over the last meetings held since the last warning
CHANGE_TALK_NEEDED = 3  # ... change talk in at least this many of them
LIFE_AFTER_RELEASE_NEEDED = 2  # ... talk about life after release in at least this many
NO_SHOWS_IN_A_ROW = 2  # this many no-shows in a row suggest the crisis card
CALM_MEETINGS_NEEDED = 2  # meetings in a row, held and without warning signs, to leave crisis

class Words:
    """Marker names (the caller's labels) and reasons as message keys for the day the rules
    run; the reasons are worded when shown."""

    def __init__(self, today: date, labels: Mapping[str, str]):
        self.today = today
        self.labels = labels

    def marker(self, marker_id: str) -> str:
        return self.labels.get(marker_id, marker_id.replace("_", " "))

    def warnings(self, meeting: MeetingSeen) -> str:
        return ", ".join(self.marker(w) for w in sorted(meeting.warnings))

    def __call__(self, key: str, **params) -> Reason:
        return reason(key, self.today.year, **params)

    @staticmethod
    def days(meetings: Sequence[MeetingSeen]) -> tuple[date, ...]:
        return tuple(sorted(m.held_on for m in meetings))


def _stay(*reasons: Reason) -> Suggestion:
    return Suggestion("stay", None, tuple(reasons))


def _from_before_first_meeting(meetings: list[MeetingSeen], say: Words) -> Suggestion:
    held = [m for m in meetings if m.attended]
    if not held:
        return _stay(say("none_held"))
    return Suggestion("move", "first_meetings", (say("first_held", day=held[-1].held_on),))


def _from_first_meetings(meetings: list[MeetingSeen], say: Words) -> Suggestion:
    return crisis_signs(meetings, say) or _readiness(meetings, say)


def _from_change_work(meetings: list[MeetingSeen], say: Words) -> Suggestion:
    return crisis_signs(meetings, say) or _stay(say("no_crisis_signs"))


def crisis_signs(meetings: list[MeetingSeen], say: Words) -> Suggestion | None:
    """Hostility or talk of quitting still live (no meeting held after it was captured after
    it), or no-shows in a row (meeting order)."""
    reasons = [
        say("crisis_sign", sign=say.marker(w), day=meeting.held_on)
        for meeting in live_warnings(meetings)
        for w in CRISIS_WARNINGS
        if w in meeting.marks
    ]
    run = [m for m in meetings if m.attendance != "cancelled"][:NO_SHOWS_IN_A_ROW]
    if len(run) == NO_SHOWS_IN_A_ROW and all(m.attendance == "no_show" for m in run):
        reasons.append(say("no_shows", num=len(run), days=say.days(run)))
    return Suggestion("crisis", "crisis", tuple(reasons)) if reasons else None


def _readiness(meetings: list[MeetingSeen], say: Words) -> Suggestion:
    """Change talk and talk of life after release in enough of the recent calm meetings."""
    last_warning = next((m for m in meetings if m.warnings), None)
    since = meetings[: meetings.index(last_warning)] if last_warning else meetings
    window = [m for m in since if m.attended][:READY_WINDOW]
    if not window and last_warning:
        return _stay(
            say("warned", day=last_warning.held_on, signs=say.warnings(last_warning)),
            say("count_again"),
        )
    if not window:
        return _stay(say("none_held"))
    calm = say("calm_since", day=last_warning.held_on) if last_warning else say("calm_so_far")
    talk = sum(1 for m in window if m.marks & CHANGE_TALK)
    life = sum(1 for m in window if m.marks & LIFE_AFTER_RELEASE)
    if talk >= CHANGE_TALK_NEEDED and life >= LIFE_AFTER_RELEASE_NEEDED:
        return Suggestion("move", "change_work", (
            say("change_talk", talk=talk, num=len(window)),
            say("life_talk", life=life, num=len(window)), calm))
    return _stay(say("change_talk", talk=talk, num=len(window), needed=CHANGE_TALK_NEEDED),
                 say("life_talk", life=life, num=len(window), needed=LIFE_AFTER_RELEASE_NEEDED),
                 calm)


def from_crisis(meetings: list[MeetingSeen], before: str | None, say: Words) -> Suggestion:
    """Back to the phase before the crisis after enough calm meetings in a row."""
    run = [m for m in meetings if m.attendance != "cancelled"][:CALM_MEETINGS_NEEDED]
    if len(run) < CALM_MEETINGS_NEEDED:
        return _stay(say("calm_count", calm=len(run), num=CALM_MEETINGS_NEEDED))
    troubled = [m for m in run if not m.attended or m.warnings]
    if troubled:
        latest = troubled[0]
        if not latest.attended:
            return _stay(say("no_show_on", day=latest.held_on))
        return _stay(say("warned", day=latest.held_on, signs=say.warnings(latest)))
    target = before if before in ("first_meetings", "change_work") else "first_meetings"
    return Suggestion(
        "back",
        target,
        (say("calm_run", num=len(run), days=say.days(run)),),
    )


RULES: dict[str, Callable[[list[MeetingSeen], Words], Suggestion]] = {
    "before_first_meeting": _from_before_first_meeting,
    "first_meetings": _from_first_meetings,
    "change_work": _from_change_work,
}
