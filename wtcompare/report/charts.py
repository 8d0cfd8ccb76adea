"""Charts drawn for reading: inline SVG with real text, and PNG drawn from the same drawing.

A chart is made in two steps. ``rates_bars`` and ``rates_panels`` lay out a chart model (the
figures, computed once in `wtcompare.report.build`, the same numbers the tables show) as a
`Drawing`: rectangles, lines, dots and texts in CSS pixels. `svg` writes a drawing as SVG markup for
the page (and for ``--export``), `png` paints it with Pillow. Nothing here depends on a plotting
library, the clock or the machine, so a report stays byte-identical for identical inputs.

Drawings are never scaled in the page: the SVG has a fixed size in CSS pixels, so its text is
``FONT`` px at any window width, and every chart is laid out for a phone (``PHONE`` px). Texts are
measured with the widths of DejaVu Sans, the widest of the common sans-serif system fonts, so a
label measured to fit fits in whichever font the reader's browser picks.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..text import quantity

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont, ImageFont

FONT = 13.0  # px: the page's small text (.8rem) is 12.8 px
SMALL = 12.0  # px: tick labels; still above the 11 px floor the browser tests hold charts to
PHONE = 340  # px: the content width of a 390 px phone screen, less the page's margins
INK, MUTED, RULE, GRID = "#1d1d1f", "#5b5b62", "#8a8a92", "#e4e4e8"
FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# Advance widths of DejaVu Sans in thousandths of an em, for the characters 32 (space) to 126 (~).
_WIDTHS = (
    318,
    401,
    460,
    838,
    636,
    950,
    780,
    275,
    390,
    390,
    500,
    838,
    318,
    361,
    318,
    337,
    636,
    636,
    636,
    636,
    636,
    636,
    636,
    636,
    636,
    636,
    337,
    337,
    838,
    838,
    838,
    531,
    1000,
    684,
    686,
    698,
    770,
    632,
    575,
    775,
    752,
    295,
    295,
    656,
    557,
    863,
    748,
    787,
    603,
    787,
    695,
    635,
    611,
    732,
    684,
    989,
    685,
    611,
    685,
    390,
    337,
    390,
    838,
    500,
    500,
    613,
    635,
    550,
    635,
    615,
    352,
    635,
    634,
    278,
    278,
    579,
    278,
    974,
    634,
    612,
    635,
    635,
    411,
    521,
    392,
    634,
    592,
    818,
    592,
    592,
    525,
    636,
    337,
    636,
    838,
)
BOLD = 1.15  # bold type is up to a quarter wider, about this much on a whole label


# ---- drawings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str = ""
    title: str = ""
    role: str = ""  # a class name saying what the shape is: "mark", "swatch", "grid" ...


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = RULE
    width: float = 1.0
    role: str = ""


@dataclass(frozen=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 2.0
    role: str = "mark"


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    radius: float
    fill: str
    title: str = ""
    role: str = "mark"


@dataclass(frozen=True)
class Text:
    """``y`` is the baseline; ``anchor`` is SVG's text-anchor (start, middle or end)."""

    x: float
    y: float
    text: str
    size: float = FONT
    anchor: str = "start"
    fill: str = INK
    bold: bool = False
    title: str = ""  # the full text, where ``text`` had to be shortened
    role: str = ""


@dataclass
class Group:
    """Items moved by (``dx``, ``dy``), under a class name that tests and styles can find."""

    role: str
    items: list[Item] = field(default_factory=list)
    dx: float = 0.0
    dy: float = 0.0


Item = Rect | Line | Polyline | Dot | Text | Group  # what a drawing is made of


@dataclass
class Drawing:
    width: float
    height: float
    title: str  # the accessible name
    items: list[Item]
    description: str = ""  # the figures in words, for a screen reader
    role: str = "chart"


# ---- measuring text ----------------------------------------------------------------------------


def text_width(text: str, size: float = FONT, bold: bool = False) -> float:
    """A generous estimate of the width of ``text`` in px (see the module's note on fonts);
    characters outside ASCII count a full em."""
    ems = sum(_WIDTHS[ord(c) - 32] if 32 <= ord(c) < 127 else 1000 for c in text) / 1000
    return ems * size * (BOLD if bold else 1.0)


def shorten(text: str, width: float, size: float = FONT, bold: bool = False) -> str:
    """``text`` cut at a word (or, failing that, a letter) and ended with an ellipsis to fit ``width``."""
    if text_width(text, size, bold) <= width:
        return text
    words = text.split()
    while len(words) > 1 and text_width(" ".join(words) + "\u2026", size, bold) > width:
        words.pop()
    cut = " ".join(words)
    while cut and text_width(cut + "\u2026", size, bold) > width:
        cut = cut[:-1]
    return cut.rstrip() + "\u2026"


def wrap(text: str, width: float, size: float = FONT, bold: bool = False, lines: int = 2) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines that fit ``width``, the last one
    shortened if the text does not fit in all of them."""
    result: list[str] = []
    words = text.split()
    while words and len(result) < lines - 1:
        line = [words.pop(0)]
        while words and text_width(" ".join(line + words[:1]), size, bold) <= width:
            line.append(words.pop(0))
        if text_width(" ".join(line), size, bold) > width:  # one word wider than the line
            words[:0] = line
            break
        result.append(" ".join(line))
    if words:
        result.append(shorten(" ".join(words), width, size, bold))
    return result


# ---- scales ----------------------------------------------------------------------------------


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round values from 0 to at least ``top``: ``count`` or a few more steps of 1, 2, 2.5 or 5 times a power of ten."""
    if top <= 0:
        return [0.0, 1.0]
    power = 10 ** math.floor(math.log10(top / count))
    # the finest step that needs no more than ``count`` + 1 intervals: the axis ends close above ``top``
    step = next(power * m for m in (1, 2, 2.5, 5, 10, 20) if math.ceil(top / (power * m) - 1e-9) <= count + 1)
    return [step * k for k in range(int(math.ceil(top / step - 1e-9)) + 1)]


def _tick_text(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


PALE = 0.28  # the share of a category's colour in the fill of its bar drawn in outline


def _pale(colour: str) -> str:
    """``colour`` mixed with white (`PALE`): the fill of a bar drawn in outline."""
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * PALE):02x}" for c in (r, g, b))


# ---- the pair report's chart: rates of each category in A and B ------------------------------

BAR = 15.0
BAR_GAP = 3.0
GROUP_GAP = 12.0
LINE = 17.0  # px between the baselines of two lines of text


def rates_bars(model: dict, width: float = PHONE) -> Drawing:
    """Horizontal bars, two for each category (or ``--term`` pattern): A drawn in outline, B
    solid, each with a letter A or B before it and its value after it, so neither colour nor
    position alone tells them apart. The key stands in its own band above the bars and the axis
    below them, so neither can cover a bar or a value.

    ``model``: ``editions`` (the ids of A and B) and ``bars``, each with ``label``, ``colour``
    and ``a`` and ``b``, (count, rate per 10,000 words) pairs."""
    a, b = model["editions"]
    bars = model["bars"]
    items: list[Item] = []
    # the key
    key: list[Item] = []
    y = 4.0
    for letter, edition, solid in (("A", a, False), ("B", b, True)):
        key.append(Text(0, y + 12, letter, bold=True))
        key.append(_bar_shape(16, y, 26, MUTED, solid, "swatch"))
        name = f"{edition} ({'solid' if solid else 'outline'})"
        shown = shorten(name, width - 48)
        key.append(Text(48, y + 12, shown, title=name if shown != name else ""))
        y += BAR + 6
    items.append(Group("legend", key))
    y += 8
    values = [v for bar in bars for v in (bar["a"][1], bar["b"][1])]
    value_room = max(text_width(f"{v:,.1f}") for v in values) + 6 if values else 30
    ticks = nice_ticks(max(values, default=0))
    left, right = 16.0, width - value_room
    scale = (right - left) / ticks[-1]
    plot_top = y
    marks: list[Item] = []
    labels: list[Item] = []
    for bar in bars:
        for line in wrap(bar["label"], width):
            y += LINE
            labels.append(Text(0, y - 4, line, title=bar["label"] if line.endswith("\u2026") else "", role="label"))
        y += 2
        for letter, (count, rate), solid in (("A", bar["a"], False), ("B", bar["b"], True)):
            length = rate * scale
            edition = a if letter == "A" else b
            title = f"{bar['label']}, {edition}: {rate:,.1f} per 10,000 words ({quantity(count, 'occurrence')})"
            marks.append(Text(0, y + BAR - 3, letter, size=SMALL, fill=MUTED, role="letter"))
            marks.append(_bar_shape(left, y, max(length, 1.0), bar["colour"], solid, "mark", title))
            marks.append(Text(left + length + 4, y + BAR - 3, f"{rate:,.1f}", role="value"))
            y += BAR + BAR_GAP
        y += GROUP_GAP
    plot_bottom = y - GROUP_GAP + 4
    grid: list[Item] = [
        Line(left + t * scale, plot_top, left + t * scale, plot_bottom, GRID, role="grid") for t in ticks
    ]
    axis: list[Item] = [Line(left, plot_bottom, left + ticks[-1] * scale, plot_bottom, RULE)]
    for t in ticks:
        x = left + t * scale
        axis.append(Line(x, plot_bottom, x, plot_bottom + 4, RULE))
        axis.append(Text(x, plot_bottom + 18, _tick_text(t), size=SMALL, anchor="middle", fill=MUTED))
    axis.append(Text(left, plot_bottom + 36, "occurrences per 10,000 words", fill=MUTED))
    items += [Group("grid", grid), Group("labels", labels), Group("marks", marks), Group("axis", axis)]
    description = "; ".join(f"{bar['label']}: {a} {bar['a'][1]:,.1f}, {b} {bar['b'][1]:,.1f}" for bar in bars)
    return Drawing(
        width,
        plot_bottom + 44,
        f"Occurrences per 10,000 words of each category in {a} (A) and {b} (B)",
        items,
        description + ".",
    )


def _bar_shape(x: float, y: float, length: float, colour: str, solid: bool, role: str, title: str = "") -> Rect:
    return Rect(x, y, length, BAR, colour if solid else _pale(colour), colour, title, role)


# ---- the timeline's chart: one panel per category, on a time axis -----------------------------

PANEL_WIDTH = 320.0
PANEL_HEIGHT = 210.0
ROW = 18.0  # px between editions in the key panel


def rates_panels(model: dict, width: float = PANEL_WIDTH) -> list[Drawing]:
    """Small multiples: a key panel naming each edition at its date, then one panel per category
    (and per ``--term`` pattern), each with its own vertical scale from 0, all on the same time
    axis: an edition stands at its publication date (or year), so the gaps between editions are
    the years between them.

    ``model``: ``editions`` (``id``, ``when``, the date or year as printed, and ``x``, the date as a
    fractional year) and ``panels`` (``label``, ``colour``, ``cells``: (count, rate) per edition)."""
    editions = model["editions"]
    xs = [e["x"] for e in editions]
    pad = max(0.6, (max(xs) - min(xs)) * 0.04)
    domain = (min(xs) - pad, max(xs) + pad)
    return [_key_panel(editions, domain, width)] + [_panel(p, editions, domain, width) for p in model["panels"]]


def _time_axis(
    domain: tuple[float, float], left: float, right: float, bottom: float
) -> tuple[list[Item], Callable[[float], float]]:
    """Year ticks spaced so that their labels do not touch, and the function from year to x."""
    start, end = domain

    def x_of(year: float) -> float:
        return left + (year - start) / (end - start) * (right - left)

    room = text_width("2000", SMALL) + 10
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 1000) if s * (right - left) / (end - start) >= room)
    first = math.ceil(start / step) * step
    items: list[Item] = [Line(left, bottom, right, bottom, RULE)]
    for year in range(int(first), int(end) + 1, step):
        items.append(Line(x_of(year), bottom, x_of(year), bottom + 4, RULE))
        items.append(Text(x_of(year), bottom + 17, str(year), size=SMALL, anchor="middle", fill=MUTED))
    return items, x_of


def _title(label: str, width: float) -> tuple[list[Item], float]:
    lines = wrap(label, width, bold=True)
    title = label if lines[-1].endswith("\u2026") else ""
    return [
        Text(0, 14 + LINE * k, line, bold=True, title=title, role="title") for k, line in enumerate(lines)
    ], 14 + LINE * (len(lines) - 1)


def _key_panel(editions: list[dict], domain: tuple[float, float], width: float) -> Drawing:
    """Each edition on a line of its own, a dot at its date and its name beside it."""
    items, bottom = _title("Editions, by publication date", width)
    top = bottom + 12
    left, right = 6.0, width - 6
    axis_y = top + ROW * len(editions) + 4
    axis, x_of = _time_axis(domain, left, right, axis_y)
    rows: list[Item] = []
    for k, edition in enumerate(editions):
        x, y = x_of(edition["x"]), top + ROW * k + ROW / 2
        rows.append(Line(x, y, x, axis_y, GRID))
        rows.append(Dot(x, y, 4, INK, f"{edition['id']}: {edition['when']}", role="edition"))
        name = f"{edition['id']} ({edition['when']})"
        room_right, room_left = right - x - 8, x - left - 8
        right_side = text_width(name) <= room_right or room_right >= room_left
        shown = shorten(name, room_right if right_side else room_left)
        rows.append(
            Text(
                x + 8 if right_side else x - 8,
                y + 4.5,
                shown,
                anchor="start" if right_side else "end",
                title=name if shown != name else "",
                role="label",
            )
        )
    return Drawing(
        width,
        axis_y + 26,
        "Editions, by publication date: " + ", ".join(f"{e['id']} ({e['when']})" for e in editions),
        items + rows + axis,
    )


def _panel(panel: dict, editions: list[dict], domain: tuple[float, float], width: float) -> Drawing:
    """One category's rate in each edition: a line through a dot per edition, and the value of each
    dot beside it where there is room (the first, the last and the highest first)."""
    items, bottom = _title(panel["label"], width)
    rates = [rate for _, rate in panel["cells"]]
    ticks = nice_ticks(max(rates), 3)
    left = max(text_width(_tick_text(t), SMALL) for t in ticks) + 8
    right = width - 8
    top, base = bottom + 26, PANEL_HEIGHT - 26
    axis, x_of = _time_axis(domain, left, right, base)

    def y_of(rate: float) -> float:
        return base - rate / ticks[-1] * (base - top)

    grid: list[Item] = [Line(left, y_of(t), right, y_of(t), GRID, role="grid") for t in ticks[1:]]
    grid += [Text(left - 5, y_of(t) + 4, _tick_text(t), size=SMALL, anchor="end", fill=MUTED) for t in ticks]
    points = [(x_of(e["x"]), y_of(rate)) for e, rate in zip(editions, rates, strict=True)]
    marks: list[Item] = [Polyline(tuple(points), panel["colour"])] if len(points) > 1 else []
    marks += [
        Dot(
            x,
            y,
            4,
            panel["colour"],
            f"{panel['label']}, {e['id']} ({e['when']}): {rate:,.1f} per 10,000 words "
            f"({quantity(count, 'occurrence')})",
        )
        for (x, y), e, (count, rate) in zip(points, editions, panel["cells"], strict=True)
    ]
    # values beside their dots, first, last and highest first, each where it covers no dot and no other value
    values: list[Item] = []
    taken = [(x - 4, y - 4, x + 4, y + 4) for x, y in points]
    highest = max(range(len(rates)), key=lambda k: (rates[k], -k))
    for k in dict.fromkeys([0, len(rates) - 1, highest] + list(range(len(rates)))):
        x, y = points[k]
        text = f"{rates[k]:,.1f}"
        size = text_width(text)
        anchor, x0 = (
            ("start", x)
            if x - size / 2 < left
            else ("end", x - size)
            if x + size / 2 > right
            else ("middle", x - size / 2)
        )
        for baseline in (y - 9, y + 20):
            box = (x0, baseline - 12, x0 + size, baseline + 2)
            if (
                box[1] >= bottom + 4
                and box[3] <= PANEL_HEIGHT
                and not any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in taken)
            ):
                taken.append(box)
                values.append(Text(x, baseline, text, anchor=anchor, role="value"))
                break
    if not any(rates):
        values.append(Text((left + right) / 2, base - 10, "none in any edition", anchor="middle", fill=MUTED))
    # the label leads the figures: in the exported grid the panels' descriptions run on as one, with
    # no panel title between them to say which category each list of rates is
    description = f"{panel['label']}: " + ", ".join(
        f"{e['id']} {rate:,.1f}" for e, rate in zip(editions, rates, strict=True)
    )
    groups: list[Item] = [Group("grid", grid), Group("axis", axis), Group("marks", marks + values)]
    return Drawing(
        width,
        PANEL_HEIGHT,
        f"{panel['label']}: occurrences per 10,000 words in each edition, "
        f"on its own scale from 0 to {_tick_text(ticks[-1])}",
        items + groups,
        description + ".",
    )


def grid(drawings: list[Drawing], columns: int, caption: str, gap: float = 16.0) -> Drawing:
    """Drawings side by side, ``columns`` to a row, under a caption: the timeline's panels as one
    image for ``--export``."""
    width = max(d.width for d in drawings)
    total = columns * width + (columns - 1) * gap
    lines = wrap(caption, total, lines=3)
    items: list[Item] = [Text(0, 16 + LINE * k, line, role="title") for k, line in enumerate(lines)]
    y = 30.0 + LINE * (len(lines) - 1)
    for start in range(0, len(drawings), columns):
        row = drawings[start : start + columns]
        for k, drawing in enumerate(row):
            items.append(Group(drawing.role, drawing.items, k * (width + gap), y))
        y += max(d.height for d in row) + gap
    return Drawing(total, y - gap, caption, items, " ".join(d.description for d in drawings if d.description))


# ---- SVG -------------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate, to a tenth of a pixel, without a trailing .0."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _titled(tag: str, attributes: str, title: str) -> str:
    return f"<{tag} {attributes}><title>{escape(title)}</title></{tag}>" if title else f"<{tag} {attributes}/>"


def _svg_item(item: Item) -> str:
    role = f' class="{item.role}"' if getattr(item, "role", "") else ""
    if isinstance(item, Group):
        move = f' transform="translate({_n(item.dx)},{_n(item.dy)})"' if item.dx or item.dy else ""
        return f'<g class="{item.role}"{move}>' + "".join(_svg_item(i) for i in item.items) + "</g>"
    if isinstance(item, Rect):
        stroke = f' stroke="{item.stroke}"' if item.stroke else ""
        return _titled(
            "rect",
            f'x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.width)}" height="{_n(item.height)}" '
            f'fill="{item.fill}"{stroke}{role}',
            item.title,
        )
    if isinstance(item, Line):
        return (
            f'<line x1="{_n(item.x1)}" y1="{_n(item.y1)}" x2="{_n(item.x2)}" y2="{_n(item.y2)}" '
            f'stroke="{item.stroke}" stroke-width="{_n(item.width)}"{role}/>'
        )
    if isinstance(item, Polyline):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in item.points)
        return (
            f'<polyline points="{points}" fill="none" stroke="{item.stroke}" stroke-width="{_n(item.width)}" '
            f'stroke-linejoin="round"{role}/>'
        )
    if isinstance(item, Dot):
        return _titled(
            "circle",
            f'cx="{_n(item.x)}" cy="{_n(item.y)}" r="{_n(item.radius)}" fill="{item.fill}" '
            f'stroke="#ffffff" stroke-width="1.5"{role}',
            item.title,
        )
    anchor = f' text-anchor="{item.anchor}"' if item.anchor != "start" else ""
    weight = ' font-weight="bold"' if item.bold else ""
    size = f' font-size="{_n(item.size)}"' if item.size != FONT else ""
    title = f"<title>{escape(item.title)}</title>" if item.title else ""
    return (
        f'<text x="{_n(item.x)}" y="{_n(item.y)}" fill="{item.fill}"{size}{anchor}{weight}{role}>'
        f"{title}{escape(item.text)}</text>"
    )


def svg(drawing: Drawing) -> Markup:
    """The drawing as an SVG element, fit to stand inline in a page or alone in a file. Every text
    is escaped here; colours come from a validated lexicon, the rest are numbers."""
    description = f"<desc>{escape(drawing.description)}</desc>" if drawing.description else ""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{drawing.role}" role="img" '
        f'width="{_n(drawing.width)}" height="{_n(drawing.height)}" '
        f'viewBox="0 0 {_n(drawing.width)} {_n(drawing.height)}" '
        f'font-family="{FAMILY}" font-size="{_n(FONT)}">'
        f"<title>{escape(drawing.title)}</title>{description}"
        + "".join(_svg_item(item) for item in drawing.items)
        + "</svg>"
    )


# ---- PNG -------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _font(size: float) -> FreeTypeFont | ImageFont:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)  # Pillow's own font: the same image on every machine


def png(drawing: Drawing, scale: float = 2.0) -> bytes:
    """The drawing painted with Pillow at ``scale`` pixels per CSS pixel, on white."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (math.ceil(drawing.width * scale), math.ceil(drawing.height * scale)), "#ffffff")
    canvas = ImageDraw.Draw(image)

    def paint(items: list[Item], dx: float, dy: float) -> None:
        def at(x: float, y: float) -> tuple[float, float]:
            return (x + dx) * scale, (y + dy) * scale

        for item in items:
            if isinstance(item, Group):
                paint(item.items, dx + item.dx, dy + item.dy)
            elif isinstance(item, Rect):
                canvas.rectangle(
                    [at(item.x, item.y), at(item.x + item.width, item.y + item.height)],
                    fill=item.fill,
                    outline=item.stroke or None,
                    width=max(1, round(scale)),
                )
            elif isinstance(item, Line):
                canvas.line(
                    [at(item.x1, item.y1), at(item.x2, item.y2)],
                    fill=item.stroke,
                    width=max(1, round(item.width * scale)),
                )
            elif isinstance(item, Polyline):
                canvas.line(
                    [at(x, y) for x, y in item.points], fill=item.stroke, width=round(item.width * scale), joint="curve"
                )
            elif isinstance(item, Dot):
                (x, y), r = at(item.x, item.y), item.radius * scale
                canvas.ellipse(
                    [x - r, y - r, x + r, y + r], fill=item.fill, outline="#ffffff", width=round(1.5 * scale)
                )
            else:
                canvas.text(
                    at(item.x, item.y),
                    item.text,
                    fill=item.fill,
                    font=_font(item.size * scale),
                    anchor={"start": "ls", "middle": "ms", "end": "rs"}[item.anchor],
                )

    paint(drawing.items, 0.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
