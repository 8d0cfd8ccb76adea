"""Charts drawn with matplotlib as SVG, byte-identical for identical data.

Reports embed them as ``data:`` images, so nothing in a chart can run as script in the page.
"""
from __future__ import annotations

import base64
import io

STYLE = {"svg.hashsalt": "wtcompare", "svg.fonttype": "none", "font.size": 10,
         "axes.spines.top": False, "axes.spines.right": False}
MARKERS = "osD^vP*X"
HATCHES = ["", "//"]


def _pyplot():
    """matplotlib, imported only when a chart is drawn (not when it comes from the cache): the
    import alone takes half a second."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    figure.savefig(buffer, format=fmt, metadata=metadata, bbox_inches="tight", dpi=150)
    _pyplot().close(figure)
    return buffer.getvalue()


def cached(draw, *args, fmt: str = "svg") -> bytes:
    """A chart from the cache when the same figures were drawn before (drawing takes a tenth of a
    second; the output depends only on the arguments and the tool version)."""
    from .. import cache

    entry = cache.result_key("chart", draw.__name__, fmt, repr(args))
    stored = cache.get_result(entry)
    if isinstance(stored, str):
        try:
            return base64.b64decode(stored, validate=True)
        except ValueError:
            cache.forget(entry)
    image = draw(*args, fmt=fmt)
    cache.put_result(entry, base64.b64encode(image).decode("ascii"))
    return image


def data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def rates_bars(labels: list[str], series: dict[str, list[float]], colours: list[str], fmt: str = "svg") -> bytes:
    """Grouped horizontal bars: one group per category, one bar per edition (hatched to tell them apart)."""
    plt = _pyplot()
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7, 0.55 * len(labels) * max(len(series), 1) + 1))
        height = 0.8 / max(len(series), 1)
        for k, (name, values) in enumerate(series.items()):
            positions = [i + k * height for i in range(len(labels))]
            axes.barh(positions, values, height=height * 0.95, color=colours, alpha=1.0 if k else 0.55,
                      hatch=HATCHES[k % 2], edgecolor="#333333", linewidth=0.5, label=name)
            for y, v in zip(positions, values):
                axes.text(v, y, f" {v:.1f}", va="center", fontsize=8)
        axes.set_yticks([i + height * (len(series) - 1) / 2 for i in range(len(labels))], labels)
        axes.invert_yaxis()
        axes.set_xlabel("occurrences per 10,000 words")
        axes.legend(loc="lower right", frameon=False)
        return _save(figure, fmt)


def rates_lines(editions: list[str], series: dict[str, list[float]], colours: list[str], fmt: str = "svg") -> bytes:
    """One line per category across editions in year order, each with its own marker."""
    plt = _pyplot()
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(8, 4.2))
        for k, ((label, values), colour) in enumerate(zip(series.items(), colours)):
            axes.plot(range(len(editions)), values, marker=MARKERS[k % len(MARKERS)], color=colour, label=label)
        axes.set_xticks(range(len(editions)), editions, rotation=30, ha="right")
        axes.set_ylabel("occurrences per 10,000 words")
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        return _save(figure, fmt)
