"""Invitations people complete themselves, and confirmation before an account sees records."""

from companion.members.views import bp

__all__ = ["bp"]
