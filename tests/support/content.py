"""Content files for tests: a team's card file, a prompt table, the early don'ts."""

import json

EARLY_DONTS = {
    "early-no-offence-or-network",
    "early-no-confrontation",
    "early-no-religion",
    "early-no-notes",
}


def write_card(directory, name, body, phases='["crisis"]', parts='["end"]'):
    """Write a card file into directory/cards."""
    cards = directory / "cards"
    cards.mkdir(exist_ok=True)
    (cards / name).write_text(f"phases = {phases}\nparts = {parts}\n\n{body}", encoding="utf-8")


def prompt_toml(**changes):
    """A [[prompt]] table, valid unless changes make it otherwise (None drops a field)."""
    fields = {
        "id": "team-prompt",
        "kind": "do",
        "text": "Ask how their week went.",
        "why": "A light start helps.",
        "source": "Durnescu 2024",
        **changes,
    }
    lines = [f"{key} = {json.dumps(value)}" for key, value in fields.items() if value is not None]
    return "[[prompt]]\n" + "\n".join(lines) + "\n"
