"""The rule for each phase: when to suggest a move, the crisis card, or a way back."""

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from companion.suggestions.observations import MeetingSeen, Suggestion, live_warnings

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
    """Dates, counts and marker names as short English phrases."""

    def __init__(self, today: date, labels: Mapping[str, str]):
        self.today = today
        self.labels = labels

    def marker(self, marker_id: str) -> str:
        return self.labels.get(marker_id, marker_id.replace("_", " "))

    def day(self, when: date) -> str:
        text = f"{when.day} {when:%b}"
        return text if when.year == self.today.year else f"{text} {when.year}"

    def days(self, meetings: Sequence[MeetingSeen]) -> str:
        return " and ".join(self.day(m.held_on) for m in sorted(meetings, key=lambda m: m.held_on))

    def warnings(self, meeting: MeetingSeen) -> str:
        return ", ".join(self.marker(w) for w in sorted(meeting.warnings))


def _stay(*reasons: str) -> Suggestion:
    return Suggestion("stay", None, tuple(reasons))


def _from_before_first_meeting(meetings: list[MeetingSeen], say: Words) -> Suggestion:
    held = [m for m in meetings if m.attended]
    if not held:
        return _stay("no meeting held yet")
    first = say.day(held[-1].held_on)
    return Suggestion("move", "first_meetings", (f"first meeting held on {first}",))


def _from_first_meetings(meetings: list[MeetingSeen], say: Words) -> Suggestion:
    return crisis_signs(meetings, say) or _readiness(meetings, say)


def _from_change_work(meetings: list[MeetingSeen], say: Words) -> Suggestion:
    return crisis_signs(meetings, say) or _stay("no crisis signs in the latest meetings")


def crisis_signs(meetings: list[MeetingSeen], say: Words) -> Suggestion | None:
    """Hostility or talk of quitting still live (no meeting held after it was captured after
    it), or no-shows in a row (meeting order)."""
    reasons = [
        f"{say.marker(w)} in the meeting on {say.day(meeting.held_on)}"
        for meeting in live_warnings(meetings)
        for w in CRISIS_WARNINGS
        if w in meeting.marks
    ]
    run = [m for m in meetings if m.attendance != "cancelled"][:NO_SHOWS_IN_A_ROW]
    if len(run) == NO_SHOWS_IN_A_ROW and all(m.attendance == "no_show" for m in run):
        reasons.append(f"{len(run)} no-shows in a row ({say.days(run)})")
    return Suggestion("crisis", "crisis", tuple(reasons)) if reasons else None


def _readiness(meetings: list[MeetingSeen], say: Words) -> Suggestion:
    """Change talk and talk of life after release in enough of the recent calm meetings."""
    last_warning = next((m for m in meetings if m.warnings), None)
    since = meetings[: meetings.index(last_warning)] if last_warning else meetings
    window = [m for m in since if m.attended][:READY_WINDOW]
    if not window and last_warning:
        return _stay(
            f"warning signs on {say.day(last_warning.held_on)}: {say.warnings(last_warning)}",
            "readiness is counted again from the next meeting held",
        )
    if not window:
        return _stay("no meeting held yet")
    if last_warning:
        calm = f"no warning signs since {say.day(last_warning.held_on)}"
    else:
        calm = "no warning signs so far"
    talk = sum(1 for m in window if m.marks & CHANGE_TALK)
    life = sum(1 for m in window if m.marks & LIFE_AFTER_RELEASE)
    of = f"of the last {len(window)} meetings" if len(window) > 1 else "of the one meeting since"
    reasons = [
        f"change talk in {talk} {of}",
        f"talk about life after release in {life} {of}",
        calm,
    ]
    if talk >= CHANGE_TALK_NEEDED and life >= LIFE_AFTER_RELEASE_NEEDED:
        return Suggestion("move", "change_work", tuple(reasons))
    reasons[0] += f" ({CHANGE_TALK_NEEDED} needed)"
    reasons[1] += f" ({LIFE_AFTER_RELEASE_NEEDED} needed)"
    return _stay(*reasons)


def from_crisis(meetings: list[MeetingSeen], before: str | None, say: Words) -> Suggestion:
    """Back to the phase before the crisis after enough calm meetings in a row."""
    run = [m for m in meetings if m.attendance != "cancelled"][:CALM_MEETINGS_NEEDED]
    if len(run) < CALM_MEETINGS_NEEDED:
        return _stay(f"{len(run)} of {CALM_MEETINGS_NEEDED} calm meetings since the crisis began")
    troubled = [m for m in run if not m.attended or m.warnings]
    if troubled:
        latest = troubled[0]
        if not latest.attended:
            return _stay(f"no-show on {say.day(latest.held_on)}")
        return _stay(f"warning signs on {say.day(latest.held_on)}: {say.warnings(latest)}")
    target = before if before in ("first_meetings", "change_work") else "first_meetings"
    return Suggestion(
        "back",
        target,
        (f"{len(run)} calm meetings in a row ({say.days(run)}): held, no warning signs",),
    )


RULES: dict[str, Callable[[list[MeetingSeen], Words], Suggestion]] = {
    "before_first_meeting": _from_before_first_meeting,
    "first_meetings": _from_first_meetings,
    "change_work": _from_change_work,
}
