"""What the content files hold: prompts, markers, the vocabulary, and a card per phase and part."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from companion.vocabulary import PARTS, PHASES


@dataclass(frozen=True)
class Prompt:
    id: str
    kind: str
    text: str
    why: str
    source: str
    topic: str | None
    phases: tuple[str, ...]
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Marker:
    id: str
    label: str
    source: str
    category: str


@dataclass(frozen=True)
class Card:
    phase: str
    part: str
    prompts: tuple[Prompt, ...]
    donts: tuple[Prompt, ...]


@dataclass(frozen=True)
class Vocabulary:
    readiness: tuple[Marker, ...]
    warning: tuple[Marker, ...]
    move: tuple[Marker, ...]
    slip: tuple[Marker, ...]

    @property
    def observed(self) -> tuple[str, ...]:
        """The ids of what a worker observes in the client (readiness and warning markers), as
        against their own practice check (moves and slips)."""
        return tuple(m.id for m in (*self.readiness, *self.warning))

    @property
    def by_id(self) -> dict[str, Marker]:
        """Every marker of the four tables, by id."""
        return {m.id: m for m in (*self.readiness, *self.warning, *self.move, *self.slip)}

    def category_of(self, marker_id: str) -> str:
        """The table a marker belongs to; KeyError if there is no such marker."""
        return self.by_id[marker_id].category


@dataclass(frozen=True)
class Content:
    prompts: tuple[Prompt, ...]
    vocabulary: Vocabulary
    debrief_prompts: Mapping[str, str]
    dimension_scales: Mapping[str, object] = field(default_factory=dict)  # dimension_anchors.Scale

    def card(self, phase: str, part: str) -> Card:
        """The prompts for one phase and session part, the most specific files first."""
        if phase not in PHASES or part not in PARTS:
            raise KeyError(f"no card for phase {phase!r} and part {part!r}")
        matching = [p for p in self.prompts if phase in p.phases and part in p.parts]
        matching.sort(key=lambda p: len(p.phases) * len(p.parts))
        return Card(
            phase=phase,
            part=part,
            prompts=tuple(p for p in matching if p.kind != "dont"),
            donts=tuple(p for p in matching if p.kind == "dont"),
        )
