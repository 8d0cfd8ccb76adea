"""Geometry of the structure map: A's sections on the left, B's on the right, joined by bands
whose width is the number of words that went from one to the other.

Only numbers and texts are computed here; the template draws the SVG, so every heading is escaped
by jinja2 like all other document text. Each box is at least MIN_BOX high, so 150 sections a side
stay legible; long maps scroll.
"""
from __future__ import annotations

from ..align import Alignment

WIDTH = 900
BOX_WIDTH = 250
MIN_BOX = 13.0
GAP = 2.0
CHAPTER_GAP = 10.0
LABEL_CHARS = 38


def _label(unit) -> str:
    text = f"{unit.number} {unit.heading}" if unit.number and not unit.heading.startswith(unit.number) else unit.heading
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "\u2026"


def _column(units: list, kinds: dict[str, str], x: float, scale: float) -> tuple[list[dict], float]:
    boxes, y, chapter = [], 0.0, None
    for unit in units:
        if unit.chapter != chapter:
            y += CHAPTER_GAP if chapter is not None else 0.0
            chapter = unit.chapter
        height = max(MIN_BOX, unit.words * scale)
        boxes.append({"id": unit.id, "x": x, "y": y, "height": height, "label": _label(unit),
                      "kind": kinds.get(unit.id, "changed"), "words": unit.words, "chapter": unit.chapter})
        y += height + GAP
    return boxes, y


def structure_map(sections: Alignment, anchor) -> dict:
    """Boxes for each side, bands between them, and the figure's size."""
    units_a, units_b = list(sections.units_a.values()), list(sections.units_b.values())
    kind_a = {u: p.kind for p in sections.pairs for u in p.a}
    kind_b = {u: p.kind for p in sections.pairs for u in p.b}
    most = max(len(units_a), len(units_b), 1)
    total = max(sum(u.words for u in units_a), sum(u.words for u in units_b), 1)
    scale = 18.0 * most / total  # about 18 px per section on average
    left, height_a = _column(units_a, kind_a, 0.0, scale)
    right, height_b = _column(units_b, kind_b, WIDTH - BOX_WIDTH, scale)
    box_a = {b["id"]: b for b in left}
    box_b = {b["id"]: b for b in right}
    used_a = {k: 0.0 for k in box_a}
    used_b = {k: 0.0 for k in box_b}
    kind_of = {(a, b): p.kind for p in sections.pairs for a in p.a for b in p.b}
    bands = []
    for (a, b), words in sorted(sections.flow.items(), key=lambda item: (box_a[item[0][0]]["y"], box_b[item[0][1]]["y"])):
        if not words or a not in box_a or b not in box_b:
            continue
        source, target = box_a[a], box_b[b]
        thickness_a = min(source["height"], max(1.0, source["height"] * words / max(source["words"], 1)))
        thickness_b = min(target["height"], max(1.0, target["height"] * words / max(target["words"], 1)))
        y0 = source["y"] + min(used_a[a], source["height"] - thickness_a)
        y1 = target["y"] + min(used_b[b], target["height"] - thickness_b)
        used_a[a] += thickness_a
        used_b[b] += thickness_b
        x0, x1 = BOX_WIDTH, WIDTH - BOX_WIDTH
        middle = (x0 + x1) / 2
        path = (f"M{x0:.1f},{y0:.1f} C{middle:.1f},{y0:.1f} {middle:.1f},{y1:.1f} {x1:.1f},{y1:.1f} "
                f"L{x1:.1f},{y1 + thickness_b:.1f} C{middle:.1f},{y1 + thickness_b:.1f} {middle:.1f},"
                f"{y0 + thickness_a:.1f} {x0:.1f},{y0 + thickness_a:.1f} Z")
        bands.append({"path": path, "kind": kind_of.get((a, b), "changed"), "words": words, "a": a, "b": b,
                      "title": f"{a} \u2192 {b}: {words:,} words"})
    for box in left:
        box["anchor"] = anchor("a", box["id"])
        box["elsewhere"] = used_a[box["id"]] > 0  # a section without a counterpart whose words partly went on
    for box in right:
        box["anchor"] = anchor("b", box["id"])
        box["elsewhere"] = used_b[box["id"]] > 0
    return {"width": WIDTH, "height": max(height_a, height_b) + 4, "box_width": BOX_WIDTH,
            "left": left, "right": right, "bands": bands}
