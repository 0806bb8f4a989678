"""Small vector charts for the PDF, as inline SVG; readable in greyscale (shapes, hatching, labels).

Every element goes through `_el`, which escapes attribute values and text. Kept deliberately
sparse: every node costs layout time in WeasyPrint.
"""

from collections.abc import Iterable, Sequence

from markupsafe import Markup

from companion.reports.figures import Count, MeetingMarks, RatingPoint

INK, GREY, LIGHT = "#111", "#666", "#bbb"
CELL, STRIP_HEIGHT, BASELINE = 30, 72, 42
STRIP_MAX_WIDTH = 380  # CSS px: the left column of a client block
SERIES = (  # part, dash pattern, marker shape
    ("goals", None, "circle"),
    ("tasks", "5 3", "square"),
    ("bond", "1.5 2.5", "triangle"),
)


def _value(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _el(tag: str, content: str | Iterable[Markup] = "", **attributes) -> Markup:
    """One SVG element; attribute names use _ for -, None values are left out."""
    attrs = Markup("").join(
        Markup(' {}="{}"').format(name.replace("_", "-"), _value(value))
        for name, value in attributes.items() if value is not None
    )
    if not isinstance(content, str):
        content = Markup("").join(content)
    if not content:
        return Markup("<{}{}/>").format(tag, attrs)
    return Markup("<{}{}>{}</{}>").format(tag, attrs, content, tag)


def _svg(width: float, height: float, parts: Iterable[Markup], label: str,
         scale: float = 1) -> Markup:
    return _el("svg", parts, xmlns="http://www.w3.org/2000/svg", width=width * scale,
               height=height * scale, viewBox=f"0 0 {_value(width)} {_value(height)}",
               role="img", aria_label=label)


def _hatch(pattern_id: str) -> Markup:
    line = _el("path", d="M0 4L4 0", stroke=INK, stroke_width=1)
    return _el("defs", [_el("pattern", [line], id=pattern_id, width=4, height=4,
                            patternUnits="userSpaceOnUse")])


def _pattern_id(label: str) -> str:
    """An id unique in the document: WeasyPrint treats ids inside inline SVG as anchors."""
    return "hatch-" + "".join(ch if ch.isalnum() else "-" for ch in label.lower())


def _text(x: float, y: float, text, size: float = 8, **attributes) -> Markup:
    return _el("text", str(text), x=x, y=y, font_size=size, **attributes)


def attendance_glyph(attendance: str, x: float, y: float, r: float = 5) -> Markup:
    """held: filled circle; cut short: half filled; no-show: empty with a cross; cancelled: dash."""
    ring = _el("circle", cx=x, cy=y, r=r, fill="none", stroke=INK)
    if attendance == "held":
        return _el("circle", cx=x, cy=y, r=r, fill=INK)
    if attendance == "cut_short":
        half = f"M{_value(x)} {_value(y - r)}A{r} {r} 0 0 0 {_value(x)} {_value(y + r)}Z"
        return ring + _el("path", d=half, fill=INK)
    if attendance == "no_show":
        d = r * 0.6
        cross = (f"M{_value(x - d)} {_value(y - d)}L{_value(x + d)} {_value(y + d)}"
                 f"M{_value(x + d)} {_value(y - d)}L{_value(x - d)} {_value(y + d)}")
        return ring + _el("path", d=cross, stroke=INK)
    return _el("path", d=f"M{_value(x - r)} {_value(y)}H{_value(x + r)}", stroke=INK,
               stroke_width=2)


def legend_glyph(attendance: str) -> Markup:
    return _svg(12, 12, [attendance_glyph(attendance, 6, 6)], attendance)


def swatch(hatched: bool = False) -> Markup:
    """The legend's sample of a strip bar: solid (readiness) or hatched (warnings)."""
    fill = "url(#hatch-swatch)" if hatched else GREY
    parts = [_hatch("hatch-swatch")] if hatched else []
    parts.append(_el("rect", x=0.5, y=0.5, width=8, height=11, fill=fill, stroke=INK,
                     stroke_width=0.5))
    return _svg(9, 12, parts, "hatched" if hatched else "solid")


def marker_strip(meetings: Sequence[MeetingMarks], label: str) -> Markup:
    """One column per meeting: attendance, readiness markers (solid bar, up) and warning signs
    (hatched bar, down), each with its count, and the day of the month."""
    hatch = _pattern_id(label)
    width = max(len(meetings), 1) * CELL
    parts = [_hatch(hatch), _el("path", d=f"M0 {BASELINE}H{width}", stroke=LIGHT)]
    for index, meeting in enumerate(meetings):
        x = index * CELL + CELL / 2
        parts.append(attendance_glyph(meeting.attendance, x, 7))
        if meeting.readiness:
            height = 3 * meeting.readiness
            parts.append(_el("rect", x=x - 9, y=BASELINE - height, width=7, height=height,
                             fill=GREY))
            parts.append(_text(x + 1, BASELINE - 2, meeting.readiness))
        if meeting.warnings:
            height = 3 * meeting.warnings
            parts.append(_el("rect", x=x - 9, y=BASELINE, width=7, height=height,
                             fill=f"url(#{hatch})", stroke=INK, stroke_width=0.5))
            parts.append(_text(x + 1, BASELINE + 8, meeting.warnings))
        if not meeting.captured and meeting.attendance in ("held", "cut_short"):
            parts.append(_text(x, BASELINE - 4, "?", text_anchor="middle", fill=GREY))
        parts.append(_text(x, STRIP_HEIGHT - 2, meeting.held_on.day, text_anchor="middle"))
    return _svg(width, STRIP_HEIGHT, parts, label, scale=min(1.2, STRIP_MAX_WIDTH / width))


def _marker(shape: str, x: float, y: float) -> Markup:
    if shape == "circle":
        return _el("circle", cx=x, cy=y, r=2.6, fill=INK)
    if shape == "square":
        return _el("rect", x=x - 2.4, y=y - 2.4, width=4.8, height=4.8, fill="#fff", stroke=INK)
    triangle = f"M{x:.1f} {y - 3:.1f}L{x + 3:.1f} {y + 2.4:.1f}L{x - 3:.1f} {y + 2.4:.1f}Z"
    return _el("path", d=triangle, fill=GREY)


def rating_chart(points: Sequence[RatingPoint], label: str) -> Markup:
    """Goals, tasks and bond (1-5) per rated meeting: solid/circles, dashed/squares,
    dotted/triangles, with a legend."""
    left, top, plot_w, plot_h = 14, 6, 150, 48
    step = plot_w / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return top + plot_h - (value - 1) / 4 * plot_h

    parts = []
    for level in (1, 3, 5):
        parts.append(_el("path", d=f"M{left} {y(level):g}H{left + plot_w}", stroke=LIGHT,
                         stroke_width=0.5))
        parts.append(_text(0, y(level) + 3, level))
    for row, (part, dash, shape) in enumerate(SERIES):
        coords = [(left + i * step if len(points) > 1 else left + plot_w / 2, getattr(p, part))
                  for i, p in enumerate(points)]
        coords = [(x, y(v)) for x, v in coords if v is not None]
        if len(coords) > 1:
            path = "M" + "L".join(f"{x:.1f} {yy:.1f}" for x, yy in coords)
            parts.append(_el("path", d=path, fill="none", stroke=INK, stroke_dasharray=dash))
        parts.extend(_marker(shape, x, yy) for x, yy in coords)
        legend_x, legend_y = left + plot_w + 14, top + 8 + row * 16
        parts.append(_el("path", d=f"M{legend_x} {legend_y}h22", stroke=INK,
                         stroke_dasharray=dash))
        parts.append(_marker(shape, legend_x + 11, legend_y))
        parts.append(_text(legend_x + 28, legend_y + 3, part, size=9))
    return _svg(250, 64, parts, label)


def bar_chart(counts: Sequence[Count], label: str, hatched: bool = False) -> Markup:
    """Horizontal bars with the marker's label on the left and the count at the bar's end."""
    row, label_w, bar_w = 15, 165, 300
    most = max((c.count for c in counts), default=0) or 1
    pattern = _pattern_id(label)
    parts = [_hatch(pattern)] if hatched else []
    for index, count in enumerate(counts):
        y = index * row
        width = bar_w * count.count / most
        parts.append(_text(label_w - 6, y + 10.5, count.label, size=9.5, text_anchor="end"))
        if count.count:
            parts.append(_el("rect", x=label_w, y=y + 2, width=width, height=10,
                             fill=f"url(#{pattern})" if hatched else GREY, stroke=INK,
                             stroke_width=0.5))
        parts.append(_text(label_w + width + 4, y + 10.5, count.count, size=9.5))
    return _svg(label_w + bar_w + 30, max(len(counts), 1) * row, parts, label)
