"""Prompt cards, the marker vocabulary and debrief prompts: data files read once at start-up.

The TOML files sit in this folder; `loader` reads and checks them, `current()` is the one way
the rest of the app reaches them.
"""

from flask import current_app
from flask_babel import get_locale

from companion.content.debrief_prompts import PROMPT_KEYS, PromptError, load_prompts
from companion.content.entries import Card, Content, Marker, Prompt, Vocabulary
from companion.content.loader import (
    CATEGORIES,
    CONTENT_DIR,
    READINESS_IDS,
    WARNING_IDS,
    ContentError,
    load_content,
)

__all__ = [
    "CATEGORIES", "CONTENT_DIR", "PROMPT_KEYS", "READINESS_IDS", "WARNING_IDS", "Card", "Content",
    "ContentError", "Marker", "Prompt", "PromptError", "Vocabulary", "current", "load_content",
    "load_prompts",
]


def current() -> Content:
    """The app's content in the reader's language, loaded by the factory
    (`register_content`)."""
    english = current_app.extensions["content"]
    language = str(get_locale() or "en")
    if language == "en":
        return english
    return current_app.extensions.get("content_languages", {}).get(language, english)
