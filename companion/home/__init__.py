"""Home by role and the health check."""

from companion.home.views import bp

__all__ = ["bp"]
