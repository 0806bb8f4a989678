"""A worker at a glance, for the lead of their team."""

from companion.workers.views import bp

__all__ = ["bp"]
