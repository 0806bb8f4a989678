"""Small vector charts for the PDF, as inline SVG; readable in greyscale (shapes, stripes, labels).

Every element goes through `_el`, which escapes attribute values and text. Kept deliberately
sparse: every node costs layout time in WeasyPrint.
"""

from collections.abc import Iterable, Sequence

from markupsafe import Markup

from companion.reports.blocks import MeetingMarks, RatingPoint
from companion.vocabulary import TOOK_PLACE

INK, GREY, LIGHT = "#111", "#666", "#bbb"
CELL, STRIP_HEIGHT, BASELINE = 30, 72, 42
STRIP_MAX_WIDTH = 380  # CSS px: the left column of a client block
BAR_WIDTH = 280
BEZIER_CIRCLE = 0.5523  # control point distance of a quarter circle, in radii
DIGIT_WIDTH = 0.556  # advance of a digit in Liberation Sans / Arial, in em
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


def _striped(x: float, y: float, width: float, height: float) -> str:
    """Path data for a bar outlined and filled with horizontal stripes: tells warnings from the
    solid readiness bars without colour, and costs far less than an SVG pattern."""
    stripes = "".join(f"M{_value(x)} {_value(y + dy)}h{_value(width)}"
                      for dy in _steps(2.2, height))
    return f"M{_value(x)} {_value(y)}h{_value(width)}v{_value(height)}h{_value(-width)}Z{stripes}"


def _steps(step: float, limit: float) -> list[float]:
    return [step * n for n in range(1, int(limit / step)) if step * n < limit]


def _text(x: float, y: float, text, size: float = 8, **attributes) -> Markup:
    return _el("text", str(text), x=x, y=y, font_size=size, **attributes)


def _labels(labels: Iterable[tuple[float, float, object]], size: float = 8) -> list[Markup]:
    """Many short labels, each centred on (x, y), as ONE text element with a position per
    character: WeasyPrint draws every SVG node and letter separately, so fewer nodes is faster."""
    xs, ys, chars = [], [], []
    advance = DIGIT_WIDTH * size
    for x, y, label in labels:
        text = str(label)
        start = x - advance * len(text) / 2
        for index, char in enumerate(text):
            xs.append(f"{start + index * advance:.1f}")
            ys.append(f"{y:g}")
            chars.append(char)
    if not chars:
        return []
    return [_el("text", "".join(chars), x=" ".join(xs), y=" ".join(ys), font_size=size)]


def _curves(start: tuple[float, float], segments) -> str:
    """Path data: move to `start`, then one cubic curve per (control, control, end)."""
    def point(p: tuple[float, float]) -> str:
        return f"{p[0]:.1f} {p[1]:.1f}"

    return f"M{point(start)}" + "".join(f"C{point(a)} {point(b)} {point(c)}"
                                         for a, b, c in segments)


def _circle(x: float, y: float, r: float) -> str:
    """A circle as four cubic curves (cheaper for WeasyPrint than arcs), so that many circles
    can share one path element."""
    k = r * BEZIER_CIRCLE
    return _curves((x + r, y), [
        ((x + r, y + k), (x + k, y + r), (x, y + r)),
        ((x - k, y + r), (x - r, y + k), (x - r, y)),
        ((x - r, y - k), (x - k, y - r), (x, y - r)),
        ((x + k, y - r), (x + r, y - k), (x + r, y)),
    ]) + "Z"


def _half_circle(x: float, y: float, r: float) -> str:
    """The left half of a circle, filled for a meeting cut short."""
    k = r * BEZIER_CIRCLE
    return _curves((x, y - r), [
        ((x - k, y - r), (x - r, y - k), (x - r, y)),
        ((x - r, y + k), (x - k, y + r), (x, y + r)),
    ]) + "Z"


def _glyph_paths(attendance: str, x: float, y: float, r: float = 5) -> dict[str, str]:
    """Path data by style for one attendance glyph: held is a filled circle, cut short a half
    filled one, no-show an empty circle with a cross, cancelled a dash."""
    if attendance == "held":
        return {"filled": _circle(x, y, r)}
    if attendance == "cut_short":
        return {"filled": _half_circle(x, y, r), "outline": _circle(x, y, r)}
    if attendance == "no_show":
        d = r * 0.6
        cross = (f"M{_value(x - d)} {_value(y - d)}L{_value(x + d)} {_value(y + d)}"
                 f"M{_value(x + d)} {_value(y - d)}L{_value(x - d)} {_value(y + d)}")
        return {"outline": _circle(x, y, r) + cross}
    return {"dash": f"M{_value(x - r)} {_value(y)}H{_value(x + r)}"}


GLYPH_STYLES = {
    "filled": {"fill": INK},
    "outline": {"fill": "none", "stroke": INK},
    "dash": {"fill": "none", "stroke": INK, "stroke_width": 2},
}


def _glyphs(glyphs: Iterable[tuple[str, float, float]]) -> list[Markup]:
    """All attendance glyphs of a chart in at most three path elements."""
    data: dict[str, list[str]] = {style: [] for style in GLYPH_STYLES}
    for attendance, x, y in glyphs:
        for style, d in _glyph_paths(attendance, x, y).items():
            data[style].append(d)
    return [_el("path", d="".join(d), **GLYPH_STYLES[style]) for style, d in data.items() if d]


def legend_glyph(attendance: str) -> Markup:
    return _svg(12, 12, _glyphs([(attendance, 6, 6)]), attendance)


def swatch(striped: bool = False) -> Markup:
    """The legend's sample of a strip bar: solid (readiness) or striped (warnings)."""
    if striped:
        part = _el("path", d=_striped(0.5, 0.5, 8, 11), fill="#fff", stroke=INK, stroke_width=0.5)
    else:
        part = _el("rect", x=0.5, y=0.5, width=8, height=11, fill=GREY, stroke=INK,
                   stroke_width=0.5)
    return _svg(9, 12, [part], "striped" if striped else "solid")


def marker_strip(meetings: Sequence[MeetingMarks], label: str) -> Markup:
    """One column per meeting: attendance, readiness markers (solid bar, up) and warning signs
    (striped bar, down), each with its count, and the day of the month."""
    width = max(len(meetings), 1) * CELL
    parts = [_el("path", d=f"M0 {BASELINE}H{width}", stroke=LIGHT)]
    readiness, warnings, labels = [], [], []
    for index, meeting in enumerate(meetings):
        x = index * CELL + CELL / 2
        if meeting.readiness:
            readiness.append(f"M{_value(x - 9)} {BASELINE}v{-3 * meeting.readiness}h7"
                             f"v{3 * meeting.readiness}Z")
            labels.append((x + 4, BASELINE - 2, meeting.readiness))
        if meeting.warnings:
            warnings.append(_striped(x - 9, BASELINE, 7, 3 * meeting.warnings))
            labels.append((x + 4, BASELINE + 8, meeting.warnings))
        if not meeting.captured and meeting.attendance in TOOK_PLACE:
            labels.append((x, BASELINE - 4, "?"))
        labels.append((x, STRIP_HEIGHT - 2, meeting.held_on.day))
    texts = _labels(labels)
    parts += _glyphs((m.attendance, index * CELL + CELL / 2, 7)
                     for index, m in enumerate(meetings))
    if readiness:
        parts.append(_el("path", d="".join(readiness), fill=GREY))
    if warnings:
        parts.append(_el("path", d="".join(warnings), fill="#fff", stroke=INK,
                         stroke_width=0.5))
    return _svg(width, STRIP_HEIGHT, parts + texts, label,
                scale=min(1.2, STRIP_MAX_WIDTH / width))


def _markers(shape: str, coords: Iterable[tuple[float, float]]) -> Markup:
    """The data points of one series in one path: circles, squares or triangles."""
    if shape == "circle":
        return _el("path", d="".join(_circle(x, y, 2.6) for x, y in coords), fill=INK)
    if shape == "square":
        d = "".join(f"M{x - 2.4:.1f} {y - 2.4:.1f}h4.8v4.8h-4.8Z" for x, y in coords)
        return _el("path", d=d, fill="#fff", stroke=INK)
    d = "".join(f"M{x:.1f} {y - 3:.1f}L{x + 3:.1f} {y + 2.4:.1f}L{x - 3:.1f} {y + 2.4:.1f}Z"
                for x, y in coords)
    return _el("path", d=d, fill=GREY)


def series_sample(part: str) -> Markup:
    """The legend's sample of one rating series: its line style and its marker."""
    dash, shape = next((dash, shape) for name, dash, shape in SERIES if name == part)
    return _svg(24, 10, [_el("path", d="M1 5h22", stroke=INK, stroke_dasharray=dash),
                         _markers(shape, [(12, 5)])], part)


def rating_chart(points: Sequence[RatingPoint], label: str) -> Markup:
    """Goals, tasks and bond (1-5) per rated meeting: solid line and circles, dashed and
    squares, dotted and triangles (the legend is drawn once, with `series_sample`)."""
    left, top, plot_w, plot_h = 12, 5, 170, 42
    step = plot_w / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return top + plot_h - (value - 1) / 4 * plot_h

    grid = "".join(f"M{left} {y(level):g}H{left + plot_w}" for level in (1, 3, 5))
    parts = [_el("path", d=grid, stroke=LIGHT, stroke_width=0.5)]
    parts += _labels((3, y(level) + 3, level) for level in (1, 3, 5))
    for part, dash, shape in SERIES:
        coords = [(left + i * step if len(points) > 1 else left + plot_w / 2, getattr(p, part))
                  for i, p in enumerate(points)]
        coords = [(x, y(v)) for x, v in coords if v is not None]
        if len(coords) > 1:
            path = "M" + "L".join(f"{x:.1f} {yy:.1f}" for x, yy in coords)
            parts.append(_el("path", d=path, fill="none", stroke=INK, stroke_dasharray=dash))
        if coords:
            parts.append(_markers(shape, coords))
    return _svg(left + plot_w + 6, top + plot_h + 5, parts, label)


def bar(count: int, most: int, label: str, striped: bool = False) -> Markup:
    """One bar of a horizontal bar chart, solid or striped; the label and count sit beside it
    in HTML (text inside SVG is laid out letter by letter, which is slow)."""
    width = BAR_WIDTH * count / (most or 1)
    parts = []
    if count and striped:
        parts.append(_el("path", d=_striped(0.25, 1, width, 9), fill="#fff", stroke=INK,
                         stroke_width=0.5))
    elif count:
        parts.append(_el("rect", x=0.25, y=1, width=width, height=9, fill=GREY, stroke=INK,
                         stroke_width=0.5))
    return _svg(BAR_WIDTH + 1, 11, parts, label)
