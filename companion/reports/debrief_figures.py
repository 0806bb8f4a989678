"""The month's debriefs in figures: shared meetings, compared, next steps agreed, time taken."""

from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from companion.reports.data import ReportData
from companion.vocabulary import TOOK_PLACE


@dataclass(frozen=True)
class DebriefFigures:
    shared: int  # meetings of the month that two workers captured as taking place
    opened: int  # of those, debriefs opened (the comparison was looked at)
    closed: int  # debriefs closed: compared and done
    agreed: int  # debriefs with an agreed next step
    median_minutes_to_close: float | None  # from the second capture to the close


def debrief_figures(data: ReportData) -> DebriefFigures:
    """Counted over the month's meetings (a meeting recorded twice counts once)."""
    kept = {m.id for m in data.meetings if m.attendance in TOOK_PLACE}
    saved = defaultdict(list)
    for capture in data.captures:
        if capture.meeting_id in kept and capture.attendance in TOOK_PLACE:
            saved[capture.meeting_id].append(capture.recorded_at)
    shared = {meeting for meeting, times in saved.items() if len(times) >= 2}
    debriefs = [d for d in data.debriefs if d.meeting_id in shared]
    waits = []
    for debrief in debriefs:
        times = [t for t in saved[debrief.meeting_id] if t is not None]
        if debrief.closed_at is not None and times:
            waits.append(max((debrief.closed_at - max(times)).total_seconds() / 60, 0))
    return DebriefFigures(
        shared=len(shared),
        opened=len(debriefs),
        closed=sum(d.closed_at is not None for d in debriefs),
        agreed=sum(d.agreed for d in debriefs),
        median_minutes_to_close=median(waits) if waits else None,
    )
