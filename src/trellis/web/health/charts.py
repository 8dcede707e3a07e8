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


def line_chart(title: str, x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
               width: int = 720, height: int = 260) -> str:
    """Several series over the same x labels (months), with a legend; each point carries a tooltip."""
    left, right, top, bottom = 40, 170, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for _, values in series for v in values), default=0) or 1
    n = max(len(x_labels) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + plot_w * i / n, top + plot_h * (1 - v / peak)

    parts = [_open(width, height, title), f'<text x="0" y="16" class="chart-title">{escape(title)}</text>']
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="chart-grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart-label">'
                     f'{_fmt(peak * frac)}</text>')
    for i, label in enumerate(x_labels):
        if len(x_labels) <= 13 or i % 2 == 0:
            x, _ = xy(i, 0)
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                         f'class="chart-label">{escape(label)}</text>')
    for k, (name, values) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, v in enumerate(values):
            x, y = xy(i, v)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>{escape(name)}, '
                         f'{escape(x_labels[i])}: {_fmt(v)}</title></circle>')
        ly = top + 14 * k
        parts.append(f'<rect x="{width - right + 12}" y="{ly}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{width - right + 27}" y="{ly + 9}" class="chart-label">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">')


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
