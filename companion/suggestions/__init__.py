"""Phase suggestions: plain rules over a client's recent captures, each with its reasons in words.

The product only suggests; the worker confirms or dismisses. Every threshold is a constant in
this package, and docs/phase-rules.md gives the source behind each rule.
"""

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta

from companion.suggestions.observations import (
    MeetingSeen,
    Observation,
    Suggestion,
    live_warnings,
    merge_meetings,
)
from companion.suggestions.phase_rules import RULES, Words, from_crisis
from companion.suggestions.ratings import rating_drops

LOOKBACK_DAYS = 120  # only meetings this recent count

__all__ = ["LOOKBACK_DAYS", "MeetingSeen", "Observation", "Suggestion", "live_warnings",
           "merge_meetings", "rating_drops", "suggest"]


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
        suggestion = from_crisis(meetings, phase_before_crisis, say)
    else:
        suggestion = RULES[phase](meetings, say)
    return replace(
        suggestion,
        flags=rating_drops(history),
        last_capture_id=max((o.capture_id for o in history), default=None),
    )
