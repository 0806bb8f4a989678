"""The five dimensions' anchor texts: one line per point of the 1-5 scale, with its source."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from companion.vocabulary import DIMENSIONS

SCALE = (1, 2, 3, 4, 5)
MAX_ANCHOR = 90
SHIPPED = Path(__file__).resolve().parent / "dimensions.toml"


class AnchorError(Exception):
    """The anchors file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Scale:
    dimension: str
    source: str
    anchors: dict[int, str]  # 1 (most concern) .. 5 (least concern)


def load_anchors(path: Path = SHIPPED) -> dict[str, Scale]:
    """Every dimension's scale, each with a source and a line for each of the five points."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AnchorError(f"{path.name}: cannot read: {exc}") from exc
    unknown = set(data) - set(DIMENSIONS)
    if unknown:
        raise AnchorError(f"{path.name}: unknown dimensions {sorted(unknown)}")
    return {name: _scale(path.name, name, data.get(name)) for name in DIMENSIONS}


def _scale(file: str, name: str, entry: object) -> Scale:
    where = f"{file}: [{name}]"
    if not isinstance(entry, dict):
        raise AnchorError(f"{where}: missing")
    expected = {"source", *map(str, SCALE)}
    if set(entry) != expected:
        raise AnchorError(f"{where}: give exactly source and 1 to 5")
    for key, text in entry.items():
        if not isinstance(text, str) or not text.strip():
            raise AnchorError(f"{where}: {key!r} must be non-empty text")
        if key != "source" and len(text) > MAX_ANCHOR:
            raise AnchorError(f"{where}: {key!r} is longer than {MAX_ANCHOR} characters")
    anchors = {point: " ".join(entry[str(point)].split()) for point in SCALE}
    return Scale(name, " ".join(entry["source"].split()), anchors)
