"""Moved to tests/support/records.py (this alias goes once every test imports from there)."""

from tests.support.records import (  # noqa: F401
    SECRET_LENGTH,
    SECRET_NOTE,
    SECRET_STEP,
    add_capture,
    add_meeting,
    secret_capture,
)
