"""Small server-rendered SVG charts: no JavaScript, print well, readable without colour.

Each function returns markup for ``|safe`` in a template; every label is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#1f6f5c", "#6a4c93", "#b36b00", "#b3261e", "#2a6bb3", "#5b6b76", "#8a9a2b", "#c2185b", "#00838f",
           "#6d4c41")


def bar_chart(title: str, bars: Sequence[tuple[str, float]], *, unit: str = "", width: int = 460,
              bar_height: int = 22, colour: str = PALETTE[0]) -> str:
    """Horizontal bars, one per (label, value), the value printed at the end of each bar."""
    label_width = 170
    top = 28
    height = top + bar_height * max(len(bars), 1) + 8
    peak = max((v for _, v in bars), default=0) or 1
    span = width - label_width - 60
    parts = [_open(width, height, title), f'<text x="0" y="16" class="chart-title">{escape(title)}</text>']
    for i, (label, value) in enumerate(bars):
        y = top + i * bar_height
        w = max(span * value / peak, 1 if value else 0)
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height * 0.68:.0f}" text-anchor="end" '
                     f'class="chart-label">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{bar_height - 6}" '
                     f'fill="{colour}"><title>{escape(label)}: {_fmt(value)}{escape(unit)}</title></rect>')
        parts.append(f'<text x="{label_width + w + 5:.1f}" y="{y + bar_height * 0.68:.0f}" '
                     f'class="chart-value">{_fmt(value)}{escape(unit)}</text>')
    if not bars:
        parts.append(f'<text x="{label_width}" y="{top + 14}" class="chart-label">no data</text>')
    parts.append("</svg>")
    return "".join(parts)


def integer_ticks(peak: float, most: int = 4) -> list[int]:
    """Whole-number gridlines from 0 to at least ``peak``, at most ``most`` steps: counts of findings
    are whole, so an axis that reads 0.5 would say something that cannot happen."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        top = max(-(-int(peak) // step), 1) * step
        if top // step <= most:
            return list(range(0, top + 1, step))
    top = max(int(peak), 1)
    return [0, top]


def small_multiple(title: str, x_labels: Sequence[str], values: Sequence[int], ticks: Sequence[int], *,
                   width: int = 340, height: int = 120, colour: str = PALETTE[3]) -> str:
    """One series over the months, in a panel of its own: a set of these (one per finding code, on the
    same scale ``ticks``) keeps every line readable where one chart would lay equal counts on top of
    each other. ``title`` names the chart for screen readers (the page shows it as the figure's
    caption, where it can wrap). The last value is printed at the end of the line."""
    left, right, top, bottom = 30, 30, 8, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = ticks[-1] or 1
    n = max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + plot_w * i / n, top + plot_h * (1 - v / peak)

    parts = [_open(width, height, title)]
    for tick in ticks:
        _, y = xy(0, tick)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="chart-grid"/>')
        parts.append(f'<text x="{left - 5}" y="{y + 4:.1f}" text-anchor="end" class="chart-label">{tick}</text>')
    # The first, the last and a few evenly between: a dozen month names do not fit under a phone-sized panel.
    last = len(x_labels) - 1
    every = max(-(-len(x_labels) // 4), 1)
    shown = {0, last} | {i for i in range(0, last, every) if last - i >= every}
    for i in sorted(shown):
        x, _ = xy(i, 0)
        anchor = "start" if i == 0 and last > 0 else "end" if i == last else "middle"
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="{anchor}" class="chart-label">'
                     f'{escape(x_labels[i])}</text>')
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for i, v in enumerate(values):
        x, y = xy(i, v)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>{escape(x_labels[i])}: '
                     f'{_fmt(v)}</title></circle>')
    if values:
        x, y = xy(len(values) - 1, values[-1])
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 4:.1f}" class="chart-value">{_fmt(values[-1])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">')


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
