"""The client page's small five-dimension charts: server-rendered SVG, one per dimension, the
last months left to right, 5 (least concern) at the top; "not known" leaves a gap."""

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 180, 60, 8
STEP_Y = (HEIGHT - 2 * PAD) / 4  # four steps between 1 and 5


def chart_points(values: Sequence[int | None]) -> list[list[tuple[float, float]]]:
    """The line's segments: runs of known months as (x, y) points, broken where a month is
    not known (None) or missing."""
    step_x = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    segments: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        x = round(PAD + index * step_x, 1)
        y = round(PAD + (5 - value) * STEP_Y, 1)
        segments[-1].append((x, y))
    return [segment for segment in segments if segment]


def dimension_chart(values: Sequence[int | None], label: str) -> Markup:
    """A small SVG of one dimension; decorative for screen readers (the table says it all)."""
    grid = "".join(
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{PAD + i * STEP_Y:g}" y2="{PAD + i * STEP_Y:g}" '
        f'class="grid"/>' for i in range(5)
    )
    lines, dots = [], []
    for segment in chart_points(values):
        if len(segment) > 1:
            points = " ".join(f"{x:g},{y:g}" for x, y in segment)
            lines.append(f'<polyline points="{points}" class="line"/>')
        dots += [f'<circle cx="{x:g}" cy="{y:g}" r="3" class="dot"/>' for x, y in segment]
    return Markup(  # noqa: S704  # nosec B704  (numbers and the escaped label only)
        f'<svg class="dimension-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" aria-hidden="true" focusable="false" data-dimension="{escape(label)}">'
        f'{grid}{"".join(lines)}{"".join(dots)}</svg>'
    )
