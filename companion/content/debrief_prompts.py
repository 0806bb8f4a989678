"""The debrief discussion prompts: one sentence per kind of disagreement, with placeholders."""

import tomllib
from pathlib import Path

PROMPT_KEYS = (
    "only_mine_readiness", "only_theirs_readiness", "only_mine_warning", "only_theirs_warning",
    "rating", "attendance", "length",
)
MAX_PROMPT = 160
SHIPPED = Path(__file__).resolve().parent / "debrief_prompts.toml"


class PromptError(Exception):
    """The prompts file cannot be used; the message says why."""


def load_prompts(path: Path = SHIPPED) -> dict[str, str]:
    """The discussion prompts by key, every key present, none too long."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PromptError(f"{path.name}: cannot read: {exc}") from exc
    unknown = set(data) - set(PROMPT_KEYS)
    if unknown:
        raise PromptError(f"{path.name}: unknown keys {sorted(unknown)}")
    for key in PROMPT_KEYS:
        text = data.get(key)
        if not isinstance(text, str) or not text.strip():
            raise PromptError(f"{path.name}: {key!r} must be non-empty text")
        if len(text) > MAX_PROMPT:
            raise PromptError(f"{path.name}: {key!r} is longer than {MAX_PROMPT} characters")
    return {key: " ".join(data[key].split()) for key in PROMPT_KEYS}
