"""The data model: typed SQLAlchemy 2.x classes, one module per area."""

from companion.models.audit import AuditEntry, MonthlyAggregate
from companion.models.base import utcnow
from companion.models.captures import Capture, Debrief
from companion.models.clients import (
    Assignment,
    Client,
    DimensionRating,
    Handover,
    Meeting,
    MeetingWorker,
    Milestone,
    MilestoneEvent,
    PhaseChange,
    Review,
    SuggestionDecision,
)
from companion.models.people import Pair, Passkey, RecoveryCode, Team, User, UserSession
from companion.models.progress import DimensionRatingEdit
from companion.models.warnings import WarningAcknowledgement

__all__ = [
    "Assignment",
    "AuditEntry",
    "Capture",
    "Client",
    "Debrief",
    "DimensionRating",
    "DimensionRatingEdit",
    "Handover",
    "Meeting",
    "MeetingWorker",
    "Milestone",
    "MilestoneEvent",
    "MonthlyAggregate",
    "Pair",
    "Passkey",
    "PhaseChange",
    "RecoveryCode",
    "Review",
    "SuggestionDecision",
    "Team",
    "User",
    "UserSession",
    "WarningAcknowledgement",
    "utcnow",
]
