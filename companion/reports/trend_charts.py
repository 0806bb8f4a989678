"""The trend's small column charts: one column per month, the report's month solid black and
the months before it grey with an outline, a month without the figure a short dash (readable
in greyscale: the month is told by position and fill, never by colour alone)."""

from collections.abc import Sequence

from markupsafe import Markup

from companion.reports.charts import GREY, INK, LIGHT, _el, _svg, _value

COLUMN, GAP, HEIGHT = 7, 3, 16


def columns(values: Sequence[float | None], label: str, top: float | None = None) -> Markup:
    """Columns scaled to `top` (default: the largest value); the last value is this month."""
    known = [v for v in values if v is not None]
    top = top or max(known, default=0) or 1
    width = len(values) * (COLUMN + GAP) - GAP
    past, current, missing = [], [], []
    for index, value in enumerate(values):
        x = index * (COLUMN + GAP)
        if value is None:
            missing.append(f"M{x} {HEIGHT - 0.5}h{COLUMN}")
            continue
        height = max(HEIGHT * min(value, top) / top, 0.8 if value else 0)
        bar = f"M{x} {_value(HEIGHT - height)}h{COLUMN}v{_value(height)}h{-COLUMN}Z"
        (current if index == len(values) - 1 else past).append(bar)
    parts = [_el("path", d=f"M0 {HEIGHT}H{width}", stroke=LIGHT, stroke_width=0.5)]
    if past:
        parts.append(_el("path", d="".join(past), fill=GREY, stroke=INK, stroke_width=0.4))
    if current:
        parts.append(_el("path", d="".join(current), fill=INK))
    if missing:
        parts.append(_el("path", d="".join(missing), stroke=INK, stroke_width=0.6))
    return _svg(width, HEIGHT, parts, label)
