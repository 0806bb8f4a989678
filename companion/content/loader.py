"""Reading the content files, checked: prompt cards, the marker vocabulary, debrief prompts."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from companion.content.debrief_prompts import load_prompts
from companion.content.dimension_anchors import AnchorError, load_anchors
from companion.content.entries import Content, Marker, Prompt, Vocabulary
from companion.vocabulary import PARTS, PHASES

CONTENT_DIR = Path(__file__).resolve().parent
KINDS = ("do", "dont", "question", "crisis_step")
CATEGORIES = ("readiness", "warning", "move", "slip")
READINESS_IDS = tuple(
    "relaxed fewer_lies open_posture mirroring change_talk_up sustain_talk_down"
    " life_after_release family_contact concrete_plans".split()
)
WARNING_IDS = tuple(
    "hostility talk_of_quitting testing_traps raised_network distrust feels_unsafe".split()
)
REQUIRED_MARKERS = {"readiness": READINESS_IDS, "warning": WARNING_IDS}
PROMPT_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MARKER_ID = re.compile(r"[a-z0-9]+(_[a-z0-9]+)*")
MAX_TEXT, MAX_WHY, MAX_LABEL = 90, 300, 32


class ContentError(Exception):
    """Content that cannot be used; the message names the file and the entry."""


def load_content(extra_dir: Path | None = None) -> Content:
    """Read the shipped content, then a team's overrides from extra_dir, and check it all."""
    extra = Path(extra_dir) if extra_dir is not None else None
    markers = CONTENT_DIR / "markers.toml"
    if extra is not None and (extra / "markers.toml").is_file():
        markers = extra / "markers.toml"
    prompts = CONTENT_DIR / "debrief_prompts.toml"
    if extra is not None and (extra / "debrief_prompts.toml").is_file():
        prompts = extra / "debrief_prompts.toml"
    anchors = CONTENT_DIR / "dimensions.toml"
    if extra is not None and (extra / "dimensions.toml").is_file():
        anchors = extra / "dimensions.toml"
    try:
        scales = load_anchors(anchors)
    except AnchorError as exc:
        raise ContentError(str(exc)) from exc
    return Content(prompts=_read_prompts(_card_files(extra)), vocabulary=_read_vocabulary(markers),
                   debrief_prompts=load_prompts(prompts), dimension_scales=scales)


def _card_files(extra: Path | None) -> list[Path]:
    """Card files by name: a file in extra/cards replaces the shipped one or adds to them."""
    files = {path.name: path for path in (CONTENT_DIR / "cards").glob("*.toml")}
    if extra is not None:
        files.update({path.name: path for path in (extra / "cards").glob("*.toml")})
    return [files[name] for name in sorted(files)]


def _read_toml(path: Path) -> dict:
    """The parsed file, or a ContentError naming it."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path.name}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ContentError(f"{path.name}: cannot read: {exc.strerror}") from exc


def _read_prompts(paths: list[Path]) -> tuple[Prompt, ...]:
    """All prompts of all card files, refusing an id used twice."""
    first_seen: dict[str, str] = {}
    prompts = []
    for path in paths:
        for prompt in _read_card_file(path):
            if prompt.id in first_seen:
                where = f"{path.name}: prompt {prompt.id!r}"
                raise ContentError(f"{where}: duplicate id, also in {first_seen[prompt.id]}")
            first_seen[prompt.id] = path.name
            prompts.append(prompt)
    return tuple(prompts)


def _read_card_file(path: Path) -> list[Prompt]:
    """The prompts of one card file, with the file's phases and parts."""
    data, name = _read_toml(path), path.name
    for key in data:
        if key not in ("phases", "parts", "prompt"):
            raise ContentError(f"{name}: unknown key {key!r}")
    phases = _known_names(name, data, "phases", PHASES)
    parts = _known_names(name, data, "parts", PARTS)
    entries = _table_list(name, "prompt", data.get("prompt", []))
    return [
        _prompt(f"{name}: prompt {_label(entry, number)}", entry, phases, parts)
        for number, entry in enumerate(entries, start=1)
    ]


def _known_names(name: str, data: dict, key: str, known: dict) -> tuple[str, ...]:
    """The phase or part ids a file lists, each one known."""
    values = data.get(key)
    if not isinstance(values, list) or not values:
        raise ContentError(f"{name}: {key}: give a non-empty list")
    for value in values:
        if not isinstance(value, str) or value not in known:
            raise ContentError(f"{name}: {key}: unknown {key[:-1]} {value!r}")
    return tuple(values)


def _table_list(name: str, key: str, entries: object) -> list[dict]:
    """An array of tables ([[key]]), or a ContentError."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ContentError(f"{name}: {key}: write each entry as a [[{key}]] table")
    return entries


def _label(entry: dict, number: int) -> str:
    """How an entry is named in messages: its id, or its position when it has none."""
    entry_id = entry.get("id")
    return repr(entry_id) if isinstance(entry_id, str) and entry_id.strip() else f"#{number}"


def _prompt(where: str, entry: dict, phases: tuple, parts: tuple) -> Prompt:
    """One checked prompt."""
    fields = _fields(where, entry, ("id", "kind", "text", "why", "source"), ("topic",))
    if not PROMPT_ID.fullmatch(fields["id"]):
        raise ContentError(f"{where}: bad id: use lowercase letters, digits and single hyphens")
    if fields["kind"] not in KINDS:
        raise ContentError(f"{where}: unknown kind {fields['kind']!r} (one of {', '.join(KINDS)})")
    _check_length(where, fields, "text", MAX_TEXT)
    _check_length(where, fields, "why", MAX_WHY)
    topic = fields.pop("topic", None)
    return Prompt(**fields, topic=topic, phases=phases, parts=parts)


def _fields(where: str, entry: dict, required: tuple, optional: tuple = ()) -> dict[str, str]:
    """The entry's text fields with whitespace tidied; every required one present and non-empty."""
    for key in entry:
        if key not in required and key not in optional:
            raise ContentError(f"{where}: unknown field {key!r}")
    for key in required:
        if key not in entry:
            raise ContentError(f"{where}: missing {key!r}")
    fields = {}
    for key, value in entry.items():
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"{where}: {key!r} must be non-empty text")
        fields[key] = " ".join(value.split())
    return fields


def _check_length(where: str, fields: dict, key: str, limit: int) -> None:
    """Refuse a field longer than its limit."""
    if len(fields[key]) > limit:
        raise ContentError(f"{where}: {key} is {len(fields[key])} characters, at most {limit}")


def _read_vocabulary(path: Path) -> Vocabulary:
    """The four marker tables, ids unique across all of them, required ids present."""
    data, name = _read_toml(path), path.name
    for key in data:
        if key not in CATEGORIES:
            raise ContentError(f"{name}: unknown table {key!r} (one of {', '.join(CATEGORIES)})")
    seen: dict[str, str] = {}
    tables = {c: _markers(name, c, data.get(c, []), seen) for c in CATEGORIES}
    for category, required in REQUIRED_MARKERS.items():
        for marker_id in required:
            if seen.get(marker_id) != category:
                raise ContentError(f"{name}: {category}: missing required id {marker_id!r}")
    return Vocabulary(**tables)


def _markers(name: str, category: str, entries: object, seen: dict) -> tuple[Marker, ...]:
    """One checked table of markers; seen maps ids already used to their table."""
    markers = []
    for number, entry in enumerate(_table_list(name, category, entries), start=1):
        where = f"{name}: {category} {_label(entry, number)}"
        fields = _fields(where, entry, ("id", "label", "source"))
        if not MARKER_ID.fullmatch(fields["id"]):
            raise ContentError(f"{where}: bad id: use lowercase letters, digits and underscores")
        if fields["id"] in seen:
            raise ContentError(f"{where}: duplicate id, also in {seen[fields['id']]}")
        _check_length(where, fields, "label", MAX_LABEL)
        seen[fields["id"]] = category
        markers.append(Marker(**fields, category=category))
    return tuple(markers)
