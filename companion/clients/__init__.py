"""A client's page: phase, meetings, phase history and assigned workers."""

from companion.clients import lifecycle_views  # noqa: F401 (its routes join the blueprint)
from companion.clients.views import bp

__all__ = ["bp"]
