"""The public page's two charts as inline SVG: each group's consumption against its
envelope, and the cumulative consumption month by month. Each is an image with an
accessible name (role="img", <title>, <desc>); the page puts the same numbers in a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

WIDTH = 420
INK = "#1a1a1a"
TRACK = "#e3e3e3"
# Per state, dark enough against white for text and bars (WCAG AA).
FILLS = {"ok": "#2c6e49", "warning": "#9a5800", "over": "#b00020"}


@dataclass(frozen=True)
class Bar:
    label: str  # the group's name, as typed in the sheet (escaped here)
    share: float  # consumed / envelope (1.0 = the whole envelope)
    state: str  # ok, warning, over
    text: str  # the figure written at the bar's end, e.g. "83 %"


def _number(value: float) -> str:
    """Coordinates with at most one decimal, the same text on every machine."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(ident: str, height: float, title: str, desc: str) -> str:
    return (
        f'<svg role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" viewBox="0 0 {WIDTH} {_number(height)}" '
        f'width="{WIDTH}" height="{_number(height)}">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(desc)}</desc>'
    )


def bars(ident: str, items: list[Bar], title: str, desc: str, envelope_word: str) -> str:
    """One bar per group: the grey track is its envelope, the mark at its end 100 %;
    a group over its envelope runs past the mark (the scale stretches to show it)."""
    row, top, label_room = 46.0, 8.0, 64.0
    scale = max([1.0, *(min(b.share, 3.0) for b in items)])
    track = WIDTH - label_room - 8
    full = track / scale  # the width of 100 %
    height = top + row * len(items) + 22
    parts = [_open(ident, height, title, desc)]
    for at, item in enumerate(items):
        y = top + at * row
        width = max(0.0, min(item.share, 3.0)) * full
        fill = FILLS.get(item.state, FILLS["ok"])
        parts += [
            f'<text x="0" y="{_number(y + 13)}" font-size="13" fill="{INK}">'
            f"{escape(item.label)}</text>",
            f'<rect x="0" y="{_number(y + 19)}" width="{_number(full)}" height="16" '
            f'fill="{TRACK}"/>',
            f'<rect x="0" y="{_number(y + 19)}" width="{_number(width)}" height="16" '
            f'fill="{fill}"/>',
            f'<text x="{_number(max(width, full) + 6)}" y="{_number(y + 32)}" font-size="13" '
            f'fill="{INK}">{escape(item.text)}</text>',
        ]
    bottom = top + row * len(items)
    parts += [
        f'<line x1="{_number(full)}" y1="{_number(top + 16)}" x2="{_number(full)}" '
        f'y2="{_number(bottom)}" stroke="{INK}" stroke-dasharray="3 3"/>',
        f'<text x="{_number(full)}" y="{_number(bottom + 16)}" font-size="12" '
        f'text-anchor="middle" fill="{INK}">{escape(envelope_word)}</text>',
        "</svg>",
    ]
    return "".join(parts)


def cumulative(  # noqa: PLR0917 - the chart's data, words and ident, each once
    ident: str,
    months: list[str],
    values: list[int | None],
    envelope: int,
    title: str,
    desc: str,
    labels: tuple[str, str],
) -> str:
    """The cumulative consumption as a line over the period's months (None: a month not
    reached yet), against a dashed line at the envelopes' total.

    `labels`: the texts of the envelope line and of the axis' top value."""
    height, left, right, top, bottom = 260.0, 8.0, 8.0, 24.0, 28.0
    highest = max([envelope, *(v for v in values if v is not None), 1])
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    step = plot_w / max(1, len(months) - 1)

    def y_of(cents: int) -> float:
        return top + plot_h - plot_h * cents / highest

    parts = [_open(ident, height, title, desc)]
    base = top + plot_h
    parts.append(
        f'<line x1="{_number(left)}" y1="{_number(base)}" x2="{_number(WIDTH - right)}" '
        f'y2="{_number(base)}" stroke="{INK}"/>'
    )
    if envelope:
        ey = y_of(envelope)
        parts += [
            f'<line x1="{_number(left)}" y1="{_number(ey)}" x2="{_number(WIDTH - right)}" '
            f'y2="{_number(ey)}" stroke="{FILLS["over"]}" stroke-dasharray="6 4"/>',
            f'<text x="{_number(left)}" y="{_number(ey - 6)}" font-size="13" fill="{INK}">'
            f"{escape(labels[0])}</text>",
        ]
    points = [
        f"{_number(left + at * step)},{_number(y_of(v))}"
        for at, v in enumerate(values)
        if v is not None
    ]
    if points:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{FILLS["ok"]}" '
            f'stroke-width="3"/>'
        )
        parts += [
            f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="3.5" fill="{FILLS["ok"]}"/>'
            for p in points
        ]
    for at, month in enumerate(months):
        anchor = "start" if at == 0 else "end" if at == len(months) - 1 else "middle"
        parts.append(
            f'<text x="{_number(left + at * step)}" y="{_number(height - 8)}" font-size="12" '
            f'text-anchor="{anchor}" fill="{INK}">{escape(month[5:])}</text>'
        )
    if not envelope:
        parts.append(
            f'<text x="{_number(left)}" y="{_number(top - 8)}" font-size="13" fill="{INK}">'
            f"{escape(labels[1])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
