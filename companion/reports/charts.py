"""Small vector charts for the PDF, as inline SVG; readable in greyscale (shapes, hatching, labels).

Kept deliberately sparse: every node costs layout time in WeasyPrint.
"""

from collections.abc import Sequence

from markupsafe import Markup, escape

from companion.reports.figures import Count, MeetingMarks, RatingPoint

INK, GREY, LIGHT = "#111", "#666", "#bbb"
HATCH = (
    '<defs><pattern id="{id}" width="4" height="4" patternUnits="userSpaceOnUse">'
    '<path d="M0 4L4 0" stroke="#111" stroke-width="1"/></pattern></defs>'
)
CELL, STRIP_HEIGHT, BASELINE = 30, 72, 42
STRIP_MAX_WIDTH = 380  # CSS px: the left column of a client block
SERIES = (  # part, dash pattern, marker shape
    ("goals", "", "circle"),
    ("tasks", "5 3", "square"),
    ("bond", "1.5 2.5", "triangle"),
)


def _svg(width: float, height: float, body: str, label: str, scale: float = 1) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * scale:g}" '
        f'height="{height * scale:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" aria-label="{escape(label)}">'
        f"{body}</svg>"
    )


def attendance_glyph(attendance: str, x: float, y: float, r: float = 5) -> str:
    """held: filled circle; cut short: half filled; no-show: empty with a cross; cancelled: dash."""
    ring = f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="none" stroke="{INK}"/>'
    if attendance == "held":
        return f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="{INK}"/>'
    if attendance == "cut_short":
        return ring + (f'<path d="M{x:g} {y - r:g}A{r:g} {r:g} 0 0 0 {x:g} {y + r:g}Z" '
                       f'fill="{INK}"/>')
    if attendance == "no_show":
        d = r * 0.6
        return ring + (f'<path d="M{x - d:g} {y - d:g}L{x + d:g} {y + d:g}M{x + d:g} {y - d:g}'
                       f'L{x - d:g} {y + d:g}" stroke="{INK}"/>')
    return f'<path d="M{x - r:g} {y:g}H{x + r:g}" stroke="{INK}" stroke-width="2"/>'


def legend_glyph(attendance: str) -> Markup:
    return _svg(12, 12, attendance_glyph(attendance, 6, 6), attendance)


def swatch(hatched: bool = False) -> Markup:
    """The legend's sample of a strip bar: solid (readiness) or hatched (warnings)."""
    fill = "url(#swatch)" if hatched else GREY
    body = (HATCH.format(id="swatch") if hatched else "") + (
        f'<rect x="0.5" y="0.5" width="8" height="11" fill="{fill}" stroke="{INK}" '
        f'stroke-width="0.5"/>')
    return _svg(9, 12, body, "hatched" if hatched else "solid")


def marker_strip(meetings: Sequence[MeetingMarks], label: str) -> Markup:
    """One column per meeting: attendance, readiness markers (solid bar, up) and warning signs
    (hatched bar, down), each with its count, and the day of the month."""
    parts = [HATCH.format(id="hatch")]
    parts.append(f'<path d="M0 {BASELINE}H{len(meetings) * CELL}" stroke="{LIGHT}"/>')
    for index, meeting in enumerate(meetings):
        x = index * CELL + CELL / 2
        parts.append(attendance_glyph(meeting.attendance, x, 7))
        if meeting.readiness:
            height = 3 * meeting.readiness
            parts.append(f'<rect x="{x - 9:g}" y="{BASELINE - height}" width="7" '
                         f'height="{height}" fill="{GREY}"/>'
                         f'<text x="{x + 1:g}" y="{BASELINE - 2}" font-size="8">'
                         f'{meeting.readiness}</text>')
        if meeting.warnings:
            height = 3 * meeting.warnings
            parts.append(f'<rect x="{x - 9:g}" y="{BASELINE}" width="7" height="{height}" '
                         f'fill="url(#hatch)" stroke="{INK}" stroke-width="0.5"/>'
                         f'<text x="{x + 1:g}" y="{BASELINE + 8}" font-size="8">'
                         f'{meeting.warnings}</text>')
        if not meeting.captured and meeting.attendance in ("held", "cut_short"):
            parts.append(f'<text x="{x:g}" y="{BASELINE - 4}" font-size="8" '
                         f'text-anchor="middle" fill="{GREY}">?</text>')
        parts.append(f'<text x="{x:g}" y="{STRIP_HEIGHT - 2}" font-size="8" '
                     f'text-anchor="middle">{meeting.held_on.day}</text>')
    width = max(len(meetings), 1) * CELL
    return _svg(width, STRIP_HEIGHT, "".join(parts), label, scale=min(1.2, STRIP_MAX_WIDTH / width))


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{INK}"/>'
    if shape == "square":
        return f'<rect x="{x - 2.4:.1f}" y="{y - 2.4:.1f}" width="4.8" height="4.8" fill="#fff" ' \
               f'stroke="{INK}"/>'
    return f'<path d="M{x:.1f} {y - 3:.1f}L{x + 3:.1f} {y + 2.4:.1f}L{x - 3:.1f} {y + 2.4:.1f}Z" ' \
           f'fill="{GREY}"/>'


def rating_chart(points: Sequence[RatingPoint], label: str) -> Markup:
    """Goals, tasks and bond (1-5) per rated meeting: solid/circles, dashed/squares,
    dotted/triangles, with a legend."""
    width, height, left, top, plot_h = 250, 64, 14, 6, 48
    plot_w = 150
    step = plot_w / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return top + plot_h - (value - 1) / 4 * plot_h

    parts = []
    for level in (1, 3, 5):
        parts.append(f'<path d="M{left} {y(level):g}H{left + plot_w}" stroke="{LIGHT}" '
                     f'stroke-width="0.5"/><text x="0" y="{y(level) + 3:g}" font-size="8">'
                     f'{level}</text>')
    for row, (part, dash, shape) in enumerate(SERIES):
        coords = [(left + i * step if len(points) > 1 else left + plot_w / 2, getattr(p, part))
                  for i, p in enumerate(points)]
        coords = [(x, y(v)) for x, v in coords if v is not None]
        if len(coords) > 1:
            path = "M" + "L".join(f"{x:.1f} {yy:.1f}" for x, yy in coords)
            dashing = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<path d="{path}" fill="none" stroke="{INK}"{dashing}/>')
        parts.extend(_marker(shape, x, yy) for x, yy in coords)
        legend_y = top + 8 + row * 16
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<path d="M{left + plot_w + 14} {legend_y}h22" stroke="{INK}"{dashing}/>'
                     + _marker(shape, left + plot_w + 25, legend_y)
                     + f'<text x="{left + plot_w + 42}" y="{legend_y + 3}" font-size="9">'
                     f"{escape(part)}</text>")
    return _svg(width, height, "".join(parts), label)


def bar_chart(counts: Sequence[Count], label: str, hatched: bool = False) -> Markup:
    """Horizontal bars with the marker's label on the left and the count at the bar's end."""
    row, label_w, bar_w = 15, 165, 300
    most = max((c.count for c in counts), default=0) or 1
    fill = "url(#bars)" if hatched else GREY
    parts = [HATCH.format(id="bars")] if hatched else []
    for index, count in enumerate(counts):
        y = index * row
        width = bar_w * count.count / most
        parts.append(f'<text x="{label_w - 6}" y="{y + 10.5}" font-size="9.5" text-anchor="end">'
                     f"{escape(count.label)}</text>")
        if count.count:
            parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{width:.1f}" height="10" '
                         f'fill="{fill}" stroke="{INK}" stroke-width="0.5"/>')
        parts.append(f'<text x="{label_w + width + 4:.1f}" y="{y + 10.5}" font-size="9.5">'
                     f"{count.count}</text>")
    return _svg(label_w + bar_w + 30, max(len(counts), 1) * row, "".join(parts), label)


def phase_bar(per_phase: dict[str, int], labels: dict[str, str]) -> Markup:
    """Clients per phase as bars (one row each), with counts: readable without colour."""
    counts = [Count(phase, labels[phase], n) for phase, n in per_phase.items()]
    return bar_chart(counts, "clients per phase")
