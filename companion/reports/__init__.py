"""Monthly PDF summaries for team leads, from the web and from the command line."""

from companion.reports.views import bp

__all__ = ["bp"]
