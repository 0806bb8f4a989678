"""Moved to tests/support/records.py (this alias goes once every test imports from there)."""

from tests.support.records import capture, meeting  # noqa: F401
