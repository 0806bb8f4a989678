"""A client's page: phase, meetings, phase history and assigned workers."""

from companion.clients.views import bp

__all__ = ["bp"]
