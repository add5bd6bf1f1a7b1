"""Charts as plain SVG, drawn on the server: bars, stacked columns (new and returning), steps.

No script and no CSS: rect, line, path and text with presentation attributes, so that the same
drawing shows in a browser and goes into a PDF (fpdf2: `pdf.image(io.BytesIO(chart.svg().encode()))`).
A chart is a picture of a table that stands beside it; the table is the content. On a page the
chart is `role="img"` with a title and a description (`Chart.html`).

Every value drawn is a count about people: one under content.report.SMALL (and above 0) is never
drawn to scale. Its bar or step stands at a fixed stand-in height, half of SMALL on the scale and
at least STAND_IN_PIXELS, in a lighter colour, labelled "< 5" where there is room; so the picture
tells no more than the table does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

from markupsafe import Markup

from content.report import SMALL, shown

WIDTH = 560
FONT = 'font-family="sans-serif"'
INK = "#1a1a1a"
GRID = "#8a8a8a"
# Two series that differ in lightness too, for readers (and printers) without colour.
COLOURS = ("#00507a", "#c25e00")
# The stand-in for a count under SMALL: lighter, so that it reads as "not to scale".
STAND_IN_COLOURS = ("#8fb3c9", "#e8b98c")
STAND_IN_PIXELS = 6.0
LABEL_WIDTH = 210  # horizontal bars: the room for their names
LABEL_LINE = 28  # horizontal bars: the characters of a name's line (two lines at most)
ROW = 30  # horizontal bars: the height of one
TALL_ROW = 42  # horizontal bars: the height of one where a name takes two lines
LEGEND_ROW = 20  # the legend's second row, where its note has no room in the first


def _number(count: int) -> str:
    return str(count)


@dataclass(frozen=True)
class Chart:
    """A drawing, with its title and description (for the page; the PDF captions it itself)."""

    title: str
    description: str
    width: int
    height: int
    body: str

    def svg(self) -> str:
        """The drawing as an SVG document of its own (for a PDF)."""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}">{self.body}</svg>'
        )

    def html(self, key: str) -> Markup:
        """The drawing inline in a page: an image with a title and a description for those who do
        not see it (the table beside it holds the same numbers)."""
        title, desc = f"chart-{key}-title", f"chart-{key}-desc"
        return Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" role="img" aria-labelledby="{title} {desc}" '
            f'focusable="false" direction="ltr">'
            f'<title id="{title}">{escape(self.title)}</title><desc id="{desc}">{escape(self.description)}</desc>'
            f"{self.body}</svg>"
        )


def _text(x: float, y: float, words: str, *, anchor: str = "start", size: int = 15, colour: str = INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}" fill="{colour}" '
        f'text-anchor="{anchor}">{escape(words)}</text>'
    )


def _rect(x: float, y: float, width: float, height: float, colour: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{max(height, 0):.1f}" fill="{colour}"/>'


def _line(
    x1: float, y1: float, x2: float, y2: float, colour: str = GRID, width: float = 1, dashed: bool = False
) -> str:
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
        f'stroke-width="{width}"{dash}/>'
    )


def small(count: int) -> bool:
    """A count about people too small to draw to scale."""
    return shown(count) is not None


def scale_top(counts: Sequence[int]) -> int:
    """The top of the value axis: a round number at or above every count (a small one counts as SMALL)."""
    highest = max([SMALL, *(SMALL if small(count) else count for count in counts)])
    step = tick_step(highest)
    return math.ceil(highest / step) * step


def tick_step(highest: int) -> int:
    """1, 2 or 5 times a power of ten, so that the axis has at most five steps."""
    power = int(10 ** max(0, len(str(max(highest, 1))) - 1))
    for factor in (1, 2, 5, 10):
        if highest / (factor * power) <= 5:
            return factor * power
    return 10 * power  # pragma: no cover - 10 × power always fits


def _level(count: int) -> int:
    """What a step chart tells of a count: itself, or for every count under SMALL the same."""
    return -1 if small(count) else count


def _stand_in(top: int, length: float) -> float:
    """The drawn length of a count under SMALL: the same whatever the count, never to scale."""
    return max(STAND_IN_PIXELS, length * (SMALL / 2) / top)


def _width(text: str, size: int) -> float:
    """About how wide a text is drawn in sans-serif at this size (a wide letter counted wide)."""
    return sum(0.75 if char.isupper() or char in "mwMW" else 0.55 for char in text) * size


def _legend(names: Sequence[str], y: float, note: str, *, dashed: bool = False) -> tuple[str, float]:
    """The series' colours and names in a row; then how a count under SMALL looks (light, or
    dashed), on a row of its own where the first has no room for it. With the height it adds."""
    parts, x = [], 10.0
    for index, name in enumerate(names):
        parts.append(_rect(x, y - 11, 14, 14, COLOURS[index]))
        parts.append(_text(x + 20, y, name, size=13))
        x += 36 + _width(name, 13)
    added = 0.0
    if note:
        key = 30 if dashed else 20
        if x + key + _width(note, 13) > WIDTH - 10:
            x, y, added = 10.0, y + LEGEND_ROW, LEGEND_ROW
        if dashed:
            parts.append(_line(x, y - 4, x + 24, y - 4, INK, 3, dashed=True))
        else:
            parts.append(_rect(x, y - 11, 14, 14, STAND_IN_COLOURS[0]))
        parts.append(_text(x + key, y, note, size=13))
    return "".join(parts), added


def _lines(label: str, most: int = LABEL_LINE) -> list[str]:
    """A bar's name in at most two lines of about `most` characters, broken between words; cut
    ("…") only where even two lines are too short."""
    if len(label) <= most:
        return [label]
    words = label.split(" ")
    first = ""
    while words and len(f"{first} {words[0]}".strip()) <= most:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one word longer than a line
        first, words = label[:most], [label[most:]]
    second = " ".join(words)
    return [first, second if len(second) <= most else second[: most - 1] + "…"]


def bars(
    title: str,
    description: str,
    items: Sequence[tuple[str, int]],
    *,
    number: Callable[[int], str] = _number,
) -> Chart:
    """Horizontal bars, one per (name, count), in the given order, each with its count at its end."""
    top = scale_top([count for _name, count in items])
    left, right = LABEL_WIDTH, WIDTH - 70
    length = right - left
    names = [_lines(name) for name, _count in items]
    row_height = TALL_ROW if any(len(lines) > 1 for lines in names) else ROW
    height = 20 + row_height * max(len(items), 1) + 24
    parts = []
    for tick in range(0, top + 1, tick_step(top)):
        x = left + length * tick / top
        parts.append(_line(x, 10, x, height - 24))
        parts.append(_text(x, height - 8, number(tick), anchor="middle", size=13))
    for row, (lines, (_name, count)) in enumerate(zip(names, items, strict=True)):
        y = 20 + row_height * row
        middle = y + (row_height - 10) / 2 + 2  # the bar's middle
        if len(lines) == 1:
            parts.append(_text(left - 8, middle + 5, lines[0], anchor="end"))
        else:
            parts.append(_text(left - 8, middle - 3, lines[0], anchor="end", size=13))
            parts.append(_text(left - 8, middle + 12, lines[1], anchor="end", size=13))
        bar_top, bar_height = middle - (ROW - 10) / 2, ROW - 10
        if small(count):
            drawn = _stand_in(top, length)
            parts.append(_rect(left, bar_top, drawn, bar_height, STAND_IN_COLOURS[0]))
            parts.append(_text(left + drawn + 6, middle + 5, shown(count) or ""))
        else:
            drawn = length * count / top
            parts.append(_rect(left, bar_top, drawn, bar_height, COLOURS[0]))
            parts.append(_text(left + drawn + 6, middle + 5, number(count)))
    parts.append(_line(left, 10, left, height - 24, INK))
    return Chart(title, description, WIDTH, height, "".join(parts))


def stacked_columns(
    title: str,
    description: str,
    columns: Sequence[tuple[str, int, int]],
    names: tuple[str, str],
    *,
    small_note: str,
    number: Callable[[int], str] = _number,
) -> Chart:
    """One column per (label, lower, upper), the two parts stacked (new callers below, returning
    above), with a legend; a label under every column there is room for."""
    height, bottom, top_y, left, right = 300, 240, 16, 50, WIDTH - 10
    totals = [
        (SMALL if small(lower) else lower) + (SMALL if small(upper) else upper) for _label, lower, upper in columns
    ]
    top = scale_top(totals)
    span = bottom - top_y
    parts = []
    for tick in range(0, top + 1, tick_step(top)):
        y = bottom - span * tick / top
        parts.append(_line(left, y, right, y))
        parts.append(_text(left - 6, y + 4, number(tick), anchor="end", size=13))
    slot = (right - left) / max(len(columns), 1)
    bar = max(2.0, slot * 0.7)
    every = max(1, math.ceil(70 / slot))  # a label needs about 70 pixels
    for index, (label, *counts) in enumerate(columns):
        x = left + slot * index + (slot - bar) / 2
        y = bottom
        for part, count in enumerate(counts):
            if not count:
                continue
            if small(count):
                drawn = _stand_in(top, span)
                parts.append(_rect(x, y - drawn, bar, drawn, STAND_IN_COLOURS[part]))
                if bar >= 22:
                    parts.append(_text(x + bar / 2, y - drawn - 3, shown(count) or "", anchor="middle", size=12))
            else:
                drawn = span * count / top
                parts.append(_rect(x, y - drawn, bar, drawn, COLOURS[part]))
            y -= drawn
        if index % every == 0:
            parts.append(_text(x + bar / 2, bottom + 16, label, anchor="middle", size=13))
    parts.append(_line(left, bottom, right, bottom, INK))
    legend, added = _legend(names, height - 14, small_note)
    parts.append(legend)
    return Chart(title, description, WIDTH, round(height + added), "".join(parts))


def steps(
    title: str,
    description: str,
    days: Sequence[tuple[date, int, int]],
    names: tuple[str, str],
    *,
    first: date,
    last: date,
    day_label: Callable[[date], str],
    small_note: str,
    number: Callable[[int], str] = _number,
) -> Chart:
    """Two counts over time as steps (each held until the next day counted): subscribers by SMS
    and by call. A count under SMALL is drawn dashed at the stand-in level."""
    height, bottom, top_y, left, right = 300, 240, 16, 50, WIDTH - 20
    top = scale_top([count for _day, *counts in days for count in counts])
    span, width = bottom - top_y, right - left
    total_days = max((last - first).days + 1, 1)
    parts = []
    for tick in range(0, top + 1, tick_step(top)):
        y = bottom - span * tick / top
        parts.append(_line(left, y, right, y))
        parts.append(_text(left - 6, y + 4, number(tick), anchor="end", size=13))

    def x_of(day: date) -> float:
        return left + width * (day - first).days / total_days

    def y_of(count: int) -> float:
        return bottom - (_stand_in(top, span) if small(count) else span * count / top)

    for series in (0, 1):
        # A new step where the count changes; counts under SMALL are all one (a change among them is not told).
        held: list[tuple[date, int]] = []
        for day, *counts in days:
            if not held or _level(held[-1][1]) != _level(counts[series]):
                held.append((day, counts[series]))
        for index, (day, count) in enumerate(held):
            until = held[index + 1][0] if index + 1 < len(held) else last + timedelta(days=1)
            x1, x2, y = x_of(day), min(x_of(until), right), y_of(count)
            parts.append(_line(x1, y, x2, y, COLOURS[series], 3, dashed=small(count)))
            if index + 1 < len(held):
                parts.append(_line(x2, y, x2, y_of(held[index + 1][1]), COLOURS[series], 1.5))
    labels = min(5, total_days)  # the first day, the last, and some between, each once
    for index in range(labels):
        day = first + (last - first) * index / max(labels - 1, 1)
        x = x_of(day) if index < labels - 1 or labels == 1 else right
        anchor = "start" if index == 0 else "end" if index == labels - 1 else "middle"
        parts.append(_text(x, bottom + 16, day_label(day), anchor=anchor, size=13))
    parts.append(_line(left, bottom, right, bottom, INK))
    legend, added = _legend(names, height - 14, small_note, dashed=True)
    parts.append(legend)
    return Chart(title, description, WIDTH, round(height + added), "".join(parts))
