"""Paired debriefs: blind captures compared, an agreed next step, agreement per pair."""

from companion.debriefs.views import bp

__all__ = ["bp"]
