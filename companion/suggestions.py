"""Phase suggestions: plain rules over a client's recent captures, each with its reasons in words.

The product only suggests; the worker confirms or dismisses. Every threshold is a constant
here, and docs/phase-rules.md gives the source behind each rule.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction

from companion.content import WARNING_IDS
from companion.vocabulary import ALLIANCE, ATTENDANCE, TOOK_PLACE

# What counts as which sign (marker ids from companion/content/markers.toml)
CHANGE_TALK = frozenset({"change_talk_up", "sustain_talk_down"})
LIFE_AFTER_RELEASE = frozenset({"life_after_release", "family_contact", "concrete_plans"})
WARNINGS = frozenset(WARNING_IDS)
CRISIS_WARNINGS = ("hostility", "talk_of_quitting")

# Thresholds
LOOKBACK_DAYS = 120  # only meetings this recent count
READY_WINDOW = 4  # readiness is counted over the last meetings held since the last warning
CHANGE_TALK_NEEDED = 3  # ... change talk in at least this many of them
LIFE_AFTER_RELEASE_NEEDED = 2  # ... talk about life after release in at least this many
NO_SHOWS_IN_A_ROW = 2  # this many no-shows in a row suggest the crisis card
CALM_MEETINGS_NEEDED = 2  # meetings in a row, held and without warning signs, to leave crisis
RATING_DROP = 1  # points a worker's alliance rating must fall to be flagged

RATINGS = tuple(ALLIANCE)
ATTENDANCE_ORDER = tuple(ATTENDANCE)


@dataclass(frozen=True)
class Observation:
    """One worker's capture of one meeting, as plain data."""

    capture_id: int
    meeting_id: int
    author: str
    held_on: date
    attendance: str
    marks: frozenset[str]
    goals: int | None = None
    tasks: int | None = None
    bond: int | None = None


@dataclass(frozen=True)
class MeetingSeen:
    """A meeting as all its captures together saw it: the union of their marks."""

    meeting_id: int
    held_on: date
    attendance: str
    marks: frozenset[str]

    @property
    def attended(self) -> bool:
        return self.attendance in TOOK_PLACE

    @property
    def warnings(self) -> frozenset[str]:
        return self.marks & WARNINGS


@dataclass(frozen=True)
class Suggestion:
    kind: str  # stay | move | crisis | back
    to_phase: str | None
    reasons: tuple[str, ...]
    flags: tuple[str, ...] = ()
    last_capture_id: int | None = None

    @property
    def key(self) -> str:
        """What a decision about this suggestion is stored under."""
        return f"{self.kind}:{self.to_phase or ''}"

    @property
    def actionable(self) -> bool:
        return self.kind != "stay"


def suggest(
    phase: str,
    history: Iterable[Observation],
    today: date,
    *,
    phase_since: date | None = None,
    phase_before_crisis: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> Suggestion:
    """What the rules suggest for a client in `phase`, given captures of recent meetings;
    `labels` names the markers in the reasons (the content's labels, so a team's own wording
    shows; the marker id otherwise)."""
    history = [o for o in history if today - timedelta(days=LOOKBACK_DAYS) <= o.held_on <= today]
    in_phase = [o for o in history if phase_since is None or o.held_on >= phase_since]
    meetings = merge_meetings(in_phase)
    say = Words(today, labels or {})
    if phase == "crisis":
        suggestion = _from_crisis(meetings, phase_before_crisis, say)
    else:
        suggestion = RULES[phase](meetings, say)
    return replace(
        suggestion,
        flags=rating_drops(history),
        last_capture_id=max((o.capture_id for o in history), default=None),
    )


def merge_meetings(history: Iterable[Observation]) -> list[MeetingSeen]:
    """One entry per meeting, newest first; marks are the union of every capture's marks and
    attendance the most attended any capture reports."""
    grouped: dict[int, list[Observation]] = {}
    for observation in history:
        grouped.setdefault(observation.meeting_id, []).append(observation)
    meetings = [
        MeetingSeen(
            meeting_id=meeting_id,
            held_on=min(o.held_on for o in captures),
            attendance=min((o.attendance for o in captures), key=ATTENDANCE_ORDER.index),
            marks=frozenset().union(*(o.marks for o in captures)),
        )
        for meeting_id, captures in grouped.items()
    ]
    return sorted(meetings, key=lambda m: (m.held_on, m.meeting_id), reverse=True)


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
    """Hostility or talk of quitting in the latest meeting held, or no-shows in a row."""
    reasons = []
    held = [m for m in meetings if m.attended]
    if held:
        latest = held[0]
        reasons += [
            f"{say.marker(w)} in the meeting on {say.day(latest.held_on)}"
            for w in CRISIS_WARNINGS
            if w in latest.marks
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


def _from_crisis(meetings: list[MeetingSeen], before: str | None, say: Words) -> Suggestion:
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


def rating_drops(history: Iterable[Observation]) -> tuple[str, ...]:
    """Each worker whose alliance rating of the latest meeting fell by RATING_DROP or more
    (mean, or any of goals, tasks, bond) against their previous rated meeting."""
    history = sorted(history, key=lambda o: (o.held_on, o.meeting_id), reverse=True)
    if not history:
        return ()
    latest_meeting = history[0].meeting_id
    flags = []
    for author in sorted({o.author for o in history if o.meeting_id == latest_meeting}):
        rated = [o for o in history if o.author == author and _mean(o) is not None]
        if len(rated) >= 2 and rated[0].meeting_id == latest_meeting:
            drop = _drop(rated[0], rated[1])
            if drop:
                flags.append(f"alliance rating by {author} fell since the previous meeting: {drop}")
    return tuple(flags)


def _mean(observation: Observation) -> Fraction | None:
    values = [getattr(observation, name) for name in RATINGS]
    values = [v for v in values if v is not None]
    return Fraction(sum(values), len(values)) if values else None


def _drop(now: Observation, before: Observation) -> str:
    """The ratings that fell by RATING_DROP or more, in words ('' if none)."""
    parts = []
    mean_now, mean_before = _mean(now), _mean(before)
    if mean_before - mean_now >= RATING_DROP:
        parts.append(f"mean {float(mean_before):.1f} → {float(mean_now):.1f}")
    for name in RATINGS:
        was, now_value = getattr(before, name), getattr(now, name)
        if was is not None and now_value is not None and was - now_value >= RATING_DROP:
            parts.append(f"{name} {was} → {now_value}")
    return ", ".join(parts)


RULES: dict[str, Callable[[list[MeetingSeen], Words], Suggestion]] = {
    "before_first_meeting": _from_before_first_meeting,
    "first_meetings": _from_first_meetings,
    "change_work": _from_change_work,
}
