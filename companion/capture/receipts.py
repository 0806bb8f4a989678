"""What a phone is told when a capture arrives, and whether a resent capture is the same one.

As in ODK Central: a capture sent again under the same key with the same content is the same
capture (success, nothing new stored); with other content it is a conflict the worker sees.
"""

import base64
import hashlib
from dataclasses import asdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from companion.capture.validation import CaptureData
from companion.models import Capture, Client

COMPARED = ("attendance", "held_on", "starts_at", "length_minutes", "rating_goals",
            "rating_tasks", "rating_bond", "next_step", "note", "co_worker_id")


def ref(key: str) -> str:
    """Four characters the worker can read out: the same for every resend of one capture."""
    digest = hashlib.sha256(key.encode()).digest()
    return base64.b32encode(digest).decode()[:4]


def received_at(capture: Capture, zone: ZoneInfo) -> datetime:
    """When the server last stored this capture, on the team's wall clock."""
    stored = capture.updated_at or capture.recorded_at
    return stored.replace(tzinfo=UTC).astimezone(zone)


def receipt(capture: Capture, zone: ZoneInfo) -> str:
    """The header value the phone keeps: ref and time, e.g. "7F3K 14:32"."""
    return f"{ref(capture.idempotency_key)} {received_at(capture, zone):%H:%M}"


def same_content(capture: Capture, client: Client, data: CaptureData) -> bool:
    """The stored capture says what `data` says, for the same client."""
    sent = asdict(data)
    return (capture.meeting.client_id == client.id
            and sorted(capture.marks) == sorted(data.marks)
            and all(getattr(capture, name) == sent[name] for name in COMPARED))
