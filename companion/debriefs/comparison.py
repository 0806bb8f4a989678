"""Comparing two captures of one meeting: plain data in, plain data out, no request."""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from companion.vocabulary import ALLIANCE

RATING_DIMENSIONS = tuple(ALLIANCE)
RATING_GAP = 2  # ratings this far apart or more are highlighted and discussed
LENGTH_GAP_MINUTES = 10  # lengths this far apart or more count as a disagreement
_PLACEHOLDER = re.compile(r"\{(marker|dimension|mine|theirs)\}")


@dataclass(frozen=True)
class Seen:
    """What one worker recorded about a meeting: the part of a capture a comparison needs."""

    marks: frozenset[str]
    attendance: str
    length_minutes: int
    ratings: Mapping[str, int | None]

    @classmethod
    def of(cls, capture) -> "Seen":
        """The comparable part of a Capture (or anything with the same attributes)."""
        return cls(
            marks=frozenset(capture.marks or ()),
            attendance=capture.attendance,
            length_minutes=capture.length_minutes,
            ratings={d: getattr(capture, f"rating_{d}") for d in RATING_DIMENSIONS},
        )


@dataclass(frozen=True)
class RatingRow:
    dimension: str
    mine: int | None
    theirs: int | None

    @property
    def gap(self) -> int | None:
        if self.mine is None or self.theirs is None:
            return None
        return abs(self.mine - self.theirs)

    @property
    def differs(self) -> bool:
        """Both rated it and the ratings are RATING_GAP or more apart."""
        return self.gap is not None and self.gap >= RATING_GAP


@dataclass(frozen=True)
class Disagreement:
    """One thing to talk about: its kind (a PROMPT_KEYS prefix) and what it is about."""

    kind: str  # only_mine, only_theirs, rating, attendance, length
    subject: str | None = None  # a marker id or a rating dimension
    mine: object = None
    theirs: object = None


@dataclass(frozen=True)
class Comparison:
    both: tuple[str, ...]
    only_mine: tuple[str, ...]
    only_theirs: tuple[str, ...]
    ratings: tuple[RatingRow, ...]
    attendance: tuple[str, str] | None  # (mine, theirs) when they differ
    length: tuple[int, int] | None  # (mine, theirs) when LENGTH_GAP_MINUTES or more apart

    @property
    def disagreements(self) -> tuple[Disagreement, ...]:
        """Everything the two recorded differently, in the order the comparison shows it."""
        found = [Disagreement("only_mine", m) for m in self.only_mine]
        found += [Disagreement("only_theirs", m) for m in self.only_theirs]
        found += [Disagreement("rating", r.dimension, r.mine, r.theirs)
                  for r in self.ratings if r.differs]
        if self.attendance:
            found.append(Disagreement("attendance", None, *self.attendance))
        if self.length:
            found.append(Disagreement("length", None, *self.length))
        return tuple(found)

    def mirrored(self) -> "Comparison":
        """The same comparison as the partner sees it."""
        return Comparison(
            both=self.both,
            only_mine=self.only_theirs,
            only_theirs=self.only_mine,
            ratings=tuple(RatingRow(r.dimension, r.theirs, r.mine) for r in self.ratings),
            attendance=self.attendance[::-1] if self.attendance else None,
            length=self.length[::-1] if self.length else None,
        )


def compare(mine: Seen, theirs: Seen, observed: Iterable[str]) -> Comparison:
    """What both saw, what only one saw (among the `observed` marker ids, in their order),
    the three ratings side by side, and whether attendance or length disagree."""
    observed = tuple(observed)
    length = None
    if abs(mine.length_minutes - theirs.length_minutes) >= LENGTH_GAP_MINUTES:
        length = (mine.length_minutes, theirs.length_minutes)
    return Comparison(
        both=tuple(m for m in observed if m in mine.marks and m in theirs.marks),
        only_mine=tuple(m for m in observed if m in mine.marks and m not in theirs.marks),
        only_theirs=tuple(m for m in observed if m in theirs.marks and m not in mine.marks),
        ratings=tuple(
            RatingRow(d, mine.ratings.get(d), theirs.ratings.get(d)) for d in RATING_DIMENSIONS
        ),
        attendance=(
            (mine.attendance, theirs.attendance) if mine.attendance != theirs.attendance else None
        ),
        length=length,
    )


def prompt_for(
    disagreement: Disagreement,
    prompts: Mapping[str, str],
    category_of: Callable[[str], str],
    label_of: Callable[[str, object], str],
) -> str:
    """The discussion prompt for one disagreement, its placeholders filled in.

    `category_of(marker_id)` says readiness or warning; `label_of(kind, value)` turns a marker
    id, rating dimension or attendance value into words.
    """
    kind = disagreement.kind
    values: dict[str, str] = {}
    if kind in ("only_mine", "only_theirs"):
        warning = category_of(disagreement.subject) == "warning"
        kind = f"{kind}_{'warning' if warning else 'readiness'}"
        values["marker"] = label_of("marker", disagreement.subject)
    elif kind == "rating":
        values["dimension"] = label_of("dimension", disagreement.subject)
    if disagreement.kind in ("rating", "attendance", "length"):
        values["mine"] = label_of(disagreement.kind, disagreement.mine)
        values["theirs"] = label_of(disagreement.kind, disagreement.theirs)
    return _PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), prompts[kind])
