"""Flags for a falling alliance rating: a quiet note beside the suggestion."""

from collections.abc import Iterable
from fractions import Fraction

from companion.suggestions.observations import Observation
from companion.suggestions.reasons import Reason, reason
from companion.vocabulary import ALLIANCE

RATING_DROP = 1  # points a worker's alliance rating must fall to be flagged
RATINGS = tuple(ALLIANCE)


def rating_drops(history: Iterable[Observation]) -> tuple[Reason, ...]:
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
                flags.append(reason("rating_fell", author=author, drop=drop))
    return tuple(flags)


def _mean(observation: Observation) -> Fraction | None:
    values = [getattr(observation, name) for name in RATINGS]
    values = [v for v in values if v is not None]
    return Fraction(sum(values), len(values)) if values else None


def _drop(now: Observation, before: Observation) -> tuple[Reason, ...]:
    """The ratings that fell by RATING_DROP or more (none: empty)."""
    parts = []
    mean_now, mean_before = _mean(now), _mean(before)
    if mean_before - mean_now >= RATING_DROP:
        parts.append(reason("mean_fell", was=float(mean_before), now=float(mean_now)))
    for name in RATINGS:
        was, now_value = getattr(before, name), getattr(now, name)
        if was is not None and now_value is not None and was - now_value >= RATING_DROP:
            parts.append(reason("rating_part_fell", part=name, was=was, now=now_value))
    return tuple(parts)
