"""Moved to tests/support/screens.py (this alias goes once every test imports from there)."""

from tests.support.screens import (  # noqa: F401
    OUTBOX_RECORDS,
    Taps,
    captures_with_key,
    chip,
    form_key,
    outbox_names,
    outbox_records,
    rating,
    settled,
)
