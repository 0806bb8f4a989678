"""What the demo workers recorded after their meetings: captures, debriefs, milestones, ratings.

Everything is drawn from a random generator seeded with the client's code, so `seed-demo` gives
the same history every time for the same day. The story of each client follows its pattern
(see `companion.demo.CLIENTS`): readiness markers grow over the weeks, a crisis client shows
warnings and falling ratings, a pair sometimes sees a meeting differently.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from companion.demo import progress
from companion.extensions import db
from companion.models import Capture, Debrief, Meeting, User
from companion.vocabulary import TOOK_PLACE

EARLY_MOVES = ("role_clarified", "open_questions", "reflected_feelings", "common_ground",
               "practical_help", "humour")
CHANGE_MOVES = ("strengthened_change_talk", "affirmed", "summarised", "gave_choices",
                "open_questions")
CRISIS_MOVES = ("reflected_feelings", "one_more_meeting_asked", "self_disclosure")
SLIPS = ("said_i_understand", "asked_network", "took_notes", "confronted", "judged")
NEXT_STEPS = {
    "first_meetings": ("Ask how the visit from his sister went", "Bring the football results",
                       "Explain again what I write down and what I do not",
                       "Let him choose the topic first"),
    "change_work": ("Talk through the housing application", "Plan the first week outside",
                    "Ask what he would tell his younger brother",
                    "Go over the training course brochure"),
    "crisis": ("Ask for one more meeting, whatever happens", "Say plainly that I was wrong",
               "Check in with the institution about the transfer"),
}
# Short notes that fit the phase; five each, so the seeded draws stay the same for every phase.
NOTES = {
    "first_meetings": ("Talked mostly about his daughter.", "Quiet at first, warmer after coffee.",
                       "Asked me about my own weekend.", "Guard interrupted twice.",
                       "Laughed for the first time."),
    "change_work": ("Talked about his daughter's school; wants to be there for her.",
                    "Brought his own list of questions about the course.",
                    "Said the old group would not write to him any more, without anger.",
                    "Guard interrupted twice; he picked up where we left off.",
                    "Asked what a normal working week looks like."),
    "crisis": ("Angry about the transfer; said we are all the same.",
               "Would not look at us for the first half hour.",
               "Said he is thinking of stopping the meetings.",
               "Calmer at the end; agreed to one more meeting.",
               "Asked who reads what I write down."),
}
# The lead worker's newest capture always has a note, so "Last note" reads as recent.
LATEST_NOTE = {
    "first_meetings": "Easier today; he asked when we come next.",
    "change_work": "Talked through the first week outside, day by day.",
    "crisis": "Tense throughout; said he does not trust the institution any more.",
}
SLIP_CHANCE = 0.12
PARTNER_MISSES = 0.2  # chance the second worker did not tick a marker the first one saw
PARTNER_ADDS = 0.15  # chance the second worker ticked one more


@dataclass(frozen=True)
class Story:
    """One client's history as the seed tells it: its meetings, workers and phase by week."""

    code: str
    pattern: str
    workers: list[User]
    meetings: list[tuple[int, Meeting]]  # (week, meeting), oldest first
    phase_in_week: dict[int, str]
    weeks: int
    last_left_to_capture: bool = False  # the lead worker has not captured the newest meeting


def add(story: Story, zone: ZoneInfo, today: date) -> None:
    """Captures for every meeting, except the last one or two that are left to do."""
    rng = random.Random(f"captures {story.code}")  # noqa: S311  # nosec B311
    db.session.flush()
    left_to_do = _left_to_do(story)
    newest_of_lead = len(story.meetings) - 1 - len(left_to_do)  # its last own capture
    shared: list[tuple[Capture, Capture]] = []
    for index, (week, meeting) in enumerate(story.meetings):
        seen = _observed(story, week, meeting.attendance, rng)
        captures = []
        for position, worker in enumerate(story.workers):
            if (index, position) in left_to_do:
                continue
            marks, ratings = seen if position == 0 else _partner_view(seen, rng)
            latest = position == 0 and index == newest_of_lead
            captures.append(_capture(meeting, worker, story, week, marks, ratings, zone, rng,
                                     latest))
        if len(captures) == 2:
            shared.append((captures[0], captures[1]))
    db.session.flush()
    _debriefs(shared, rng, leave_newest_open=not left_to_do)
    progress.add(story, today, rng)


def _left_to_do(story: Story) -> set[tuple[int, int]]:
    """(meeting index, worker position) pairs left uncaptured so home has something to show."""
    if not (story.last_left_to_capture and story.meetings):
        return set()
    return {(len(story.meetings) - 1, 0)}


def _observed(story: Story, week: int, attendance: str, rng: random.Random):
    """The markers and goals/tasks/bond ratings the lead worker saw in this meeting."""
    if attendance in ("no_show", "cancelled"):
        return frozenset(), (None, None, None)
    phase = story.phase_in_week[week]
    progress = week / max(story.weeks - 1, 1)
    marks = set(rng.sample(EARLY_MOVES, 2))
    if rng.random() < SLIP_CHANCE * (1.5 - progress):
        marks.add(rng.choice(SLIPS))
    if phase == "crisis" or (story.pattern == "crisis" and week >= story.weeks - 5):
        marks |= {"hostility", "distrust"} if rng.random() < 0.6 else {"talk_of_quitting"}
        marks |= set(rng.sample(CRISIS_MOVES, 2))
        level = 2
    else:
        marks |= _readiness(progress, phase, rng)
        if progress < 0.3 and rng.random() < 0.5:
            marks.add(rng.choice(("distrust", "testing_traps")))
        if phase == "change_work":
            marks |= set(rng.sample(CHANGE_MOVES, 2))
        level = 2 + round(2 * progress + (phase == "change_work") * 0.5)
    if attendance == "cut_short":
        level -= 1
    ratings = tuple(max(1, min(5, level + rng.choice((-1, 0, 0, 1)))) for _ in range(3))
    return frozenset(marks), ratings


def _readiness(progress: float, phase: str, rng: random.Random) -> set[str]:
    early = {m for m in ("relaxed", "open_posture", "fewer_lies", "mirroring")
             if rng.random() < 0.2 + 0.7 * progress}
    if phase != "change_work" and progress < 0.4:
        return early
    later = {m for m in ("change_talk_up", "life_after_release", "concrete_plans",
                         "family_contact", "sustain_talk_down")
             if rng.random() < (0.75 if phase == "change_work" else 0.55)}
    return early | later


def _partner_view(seen, rng: random.Random):
    """The same meeting through the second worker's eyes: mostly the same, not always."""
    marks, ratings = seen
    if not marks:
        return seen
    kept = {m for m in sorted(marks) if rng.random() >= PARTNER_MISSES}  # not set order
    if rng.random() < PARTNER_ADDS:
        kept.add(rng.choice(("relaxed", "open_posture", "change_talk_up", "mirroring")))
    shift = rng.choice((-2, -1, 0, 0, 0, 1))
    moved = tuple(None if r is None else max(1, min(5, r + (shift if i == 2 else 0)))
                  for i, r in enumerate(ratings))
    return frozenset(kept), moved


def _note(attended: bool, phase: str, latest: bool, rng: random.Random) -> str | None:
    """A phase-fitting note for about a third of the meetings held (the draws as before)."""
    if attended and rng.random() < 0.3:
        return rng.choice(NOTES.get(phase, NOTES["first_meetings"]))
    return LATEST_NOTE.get(phase) if attended and latest else None


def _capture(meeting, worker, story, week, marks, ratings, zone, rng, latest=False) -> Capture:
    delay = rng.choice((12, 20, 25, 35, 45, 60, 90, 240, 900))
    end = datetime.combine(meeting.held_on, meeting.starts_at) + timedelta(
        minutes=meeting.length_minutes)
    recorded_at = (end.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
                   + timedelta(minutes=delay))
    attended = meeting.attendance in TOOK_PLACE
    phase = story.phase_in_week[week]
    partner = next((w for w in story.workers if w.id != worker.id), None)
    capture = Capture(
        meeting=meeting, author_id=worker.id, idempotency_key=f"demo-{meeting.id}-{worker.id}",
        attendance=meeting.attendance, held_on=meeting.held_on, starts_at=meeting.starts_at,
        length_minutes=meeting.length_minutes, marks=sorted(marks),
        rating_goals=ratings[0], rating_tasks=ratings[1], rating_bond=ratings[2],
        next_step=rng.choice(NEXT_STEPS[phase]) if attended and phase in NEXT_STEPS else None,
        note=_note(attended, phase, latest, rng),
        co_worker_id=partner.id if partner else None,
        recorded_at=recorded_at, delay_minutes=delay,
    )
    db.session.add(capture)
    return capture


def _debriefs(shared: list[tuple[Capture, Capture]], rng: random.Random,
              leave_newest_open: bool) -> None:
    """Every compared meeting closed with an agreed next step, except perhaps the newest."""
    for index, (first, second) in enumerate(shared):
        opened = max(first.recorded_at, second.recorded_at) + timedelta(hours=2)
        newest = leave_newest_open and index == len(shared) - 1
        agreed = None if newest else rng.choice(
            ("Ask together about the letter from his mother", "One of us brings up the course",
             "Next time: more listening, fewer questions", "Follow up on the visit plans"))
        db.session.add(Debrief(
            meeting_id=first.meeting_id, opened_at=opened,
            agreed_next_step=agreed, agreed_by_id=first.author_id if agreed else None,
            agreed_at=opened + timedelta(minutes=10) if agreed else None,
            closed_at=None if newest else opened + timedelta(minutes=15),
            closed_by_id=None if newest else first.author_id,
        ))
