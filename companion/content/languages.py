"""The content in another language: a file per language (`de.toml` here, and a team's own
`de.toml` beside its overrides) gives, per id, the prompts' text and why, the markers' labels,
the debrief prompts and the dimension anchors. What it does not give stays in English, marked
so that a reader sees it is missing."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

from companion.content.dimension_anchors import MAX_ANCHOR, SCALE, Scale
from companion.content.entries import Content, Vocabulary
from companion.content.loader import ContentError

FALLBACK = "[EN] "  # in front of an English text that has no translation yet
TABLES = {"prompt": ("text", "why"), "marker": ("label",), "debrief": None, "dimension": None}
LIMITS = {"text": 90, "why": 300, "label": 32}
PLACEHOLDER = re.compile(r"\{\w+\}")


class TranslationError(ContentError):
    """A translation file that cannot be used; the message names the file and the entry."""


def read_translation(*paths: Path) -> dict[str, dict]:
    """The tables of each file that exists, a later file's entries replacing an earlier's."""
    merged: dict[str, dict] = {table: {} for table in TABLES}
    for path in paths:
        if not path.is_file():
            continue
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise TranslationError(f"{path.name}: not valid TOML: {exc}") from exc
        for table, entries in data.items():
            if table not in TABLES or not isinstance(entries, dict):
                raise TranslationError(f"{path.name}: unknown table {table!r}")
            for key, value in entries.items():
                _check(path.name, table, key, value)
                if isinstance(value, dict) and isinstance(merged[table].get(key), dict):
                    value = merged[table][key] | value
                merged[table][key] = value
    return merged


def _check(name: str, table: str, key: str, value: object) -> None:
    where = f"{name}: [{table}.{key}]" if table != "debrief" else f"{name}: debrief.{key}"
    texts = {key: value} if table == "debrief" else value
    if not isinstance(texts, dict):
        raise TranslationError(f"{where}: write it as a table")
    fields = TABLES[table]
    for field, text in texts.items():
        if fields is not None and field not in fields:
            raise TranslationError(f"{where}: unknown field {field!r}")
        if not isinstance(text, str) or not text.strip():
            raise TranslationError(f"{where}: {field!r} must be non-empty text")
        limit = LIMITS.get(field, MAX_ANCHOR if table == "dimension" and field != "source"
                           else 160 if table == "debrief" else 300)
        if len(" ".join(text.split())) > limit:
            raise TranslationError(f"{where}: {field} is longer than {limit} characters")


def load_languages(english: Content, languages, extra_dir: Path | None,
                   shipped: Path) -> dict[str, Content]:
    """The content for each language: English as it is, each other language from the shipped
    file and the team's own (`<extra_dir>/<code>.toml`, entry by entry)."""
    found = {"en": english}
    for code in languages:
        if code != "en":
            paths = [shipped / f"{code}.toml"]
            if extra_dir is not None:
                paths.append(extra_dir / f"{code}.toml")
            found[code] = localize(english, read_translation(*paths))
    return found


def localize(english: Content, translation: dict[str, dict]) -> Content:
    """`english` with every text the translation gives; the others marked as English."""
    prompts = translation["prompt"]
    markers = translation["marker"]
    return replace(
        english,
        prompts=tuple(replace(p, text=_text(prompts, p.id, "text", p.text),
                              why=_text(prompts, p.id, "why", p.why))
                      for p in english.prompts),
        vocabulary=Vocabulary(**{
            table: tuple(replace(m, label=_text(markers, m.id, "label", m.label))
                         for m in getattr(english.vocabulary, table))
            for table in ("readiness", "warning", "move", "slip")}),
        debrief_prompts={key: _prompt(translation["debrief"], key, text)
                         for key, text in english.debrief_prompts.items()},
        dimension_scales={name: _scale(translation["dimension"].get(name, {}), scale)
                          for name, scale in english.dimension_scales.items()},
    )


def _text(table: dict, entry_id: str, field: str, english: str) -> str:
    text = table.get(entry_id, {}).get(field)
    return " ".join(text.split()) if text else FALLBACK + english


def _prompt(table: dict, key: str, english: str) -> str:
    """A debrief prompt, with the English one's placeholders."""
    text = table.get(key)
    if not text:
        return FALLBACK + english
    if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(english)):
        raise TranslationError(f"debrief.{key}: use the placeholders "
                               f"{' '.join(sorted(PLACEHOLDER.findall(english)))}")
    return " ".join(text.split())


def _scale(entry: dict, english: Scale) -> Scale:
    anchors = {point: _text({"": entry}, "", str(point), english.anchors[point]) for point in SCALE}
    source = entry.get("source")
    return Scale(english.dimension, " ".join(source.split()) if source else english.source,
                 anchors)
