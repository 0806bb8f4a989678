"""Administration: teams, accounts, pseudonymous clients, assignments and pairs."""

from companion.admin.views import bp

__all__ = ["bp"]
