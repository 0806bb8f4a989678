"""Quick capture after a meeting: one screen, idempotent saves, a 48-hour edit window."""

from companion.capture.views import bp

__all__ = ["bp"]
