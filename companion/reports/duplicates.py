"""One meeting recorded twice counts once in the report.

A form saved again after Back, or a no-show entered next to the held meeting, leaves two
meetings of one client on the same date at the same start time. The report keeps one of them
(the most attended, then the first recorded) and one capture per worker of it.
"""

from dataclasses import replace
from datetime import time

from companion.reports.data import CaptureRow, MeetingRow
from companion.vocabulary import ATTENDANCE

ORDER = tuple(ATTENDANCE)


def one_per_slot(meetings: list[tuple[MeetingRow, time]],
                 captures: tuple[CaptureRow, ...]) -> tuple[tuple[MeetingRow, ...],
                                                            tuple[CaptureRow, ...]]:
    """`meetings` with their start times; the meetings and captures with duplicates folded."""
    slots: dict[tuple, list[MeetingRow]] = {}
    for meeting, starts_at in meetings:
        slots.setdefault((meeting.client_id, meeting.held_on, starts_at), []).append(meeting)
    kept: dict[int, MeetingRow] = {}
    for same in slots.values():
        first = min(same, key=lambda m: (ORDER.index(m.attendance), m.id))
        kept.update({m.id: first for m in same})
    folded: dict[tuple[int, int], CaptureRow] = {}
    known = [c for c in captures if c.meeting_id in kept]
    # the kept meeting's own captures first, so a worker's capture of it wins over a duplicate
    for capture in sorted(known, key=lambda c: kept[c.meeting_id].id != c.meeting_id):
        meeting = kept[capture.meeting_id]
        folded.setdefault((meeting.id, capture.author_id),
                          replace(capture, meeting_id=meeting.id))
    unique = {m.id: m for m in kept.values()}
    return tuple(unique.values()), tuple(folded.values())
