"""Moved to tests/support/world.py (this alias goes once every test imports from there)."""

from tests.support.world import PASSWORD, PASSWORD_HASH, PIN, PIN_HASH, World, build  # noqa: F401
