"""The phases of a working relationship and the parts of a session (DOMAIN.md)."""

PHASES = {
    "before_first_meeting": "Before the first meeting",
    "first_meetings": "First meetings: building the alliance",
    "change_work": "Change work",
    "crisis": "Crisis",
}

PARTS = {
    "beginning": "Beginning",
    "middle": "Middle",
    "end": "End",
    "afterwards": "Afterwards",
}

EARLY_PHASES = ("before_first_meeting", "first_meetings")
