"""Server-rendered SVG bar charts for the dashboard: no JavaScript, printable, readable without colour.

Each series has its own fill pattern (solid, hatched, dotted) besides its shade, every bar carries
its value as text, and the chart has a <title> and <desc>; the panels print the same figures as a
table beside it, so nothing is told by colour or shape alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

PATTERNS = (
    ("solid", '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse">'
     '<rect width="6" height="6" fill="#1f3a5f"/></pattern>'),
    ("hatch", '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
     'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
     '<line x1="0" y1="0" x2="0" y2="6" stroke="#7a4b00" stroke-width="3"/></pattern>'),
    ("dots", '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse">'
     '<rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.6" fill="#2d5a27"/></pattern>'),
)  # fmt: skip


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    target: tuple[str, float] | None = None,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """Vertical grouped bars: one group per label, one bar per series; an optional target line."""
    top, bottom, left, right = 24, 40, 8, 8
    if len(series) > 1:
        top += 18  # room for the legend
    plot_h = height - top - bottom
    values = [v for _name, vals in series for v in vals if v is not None]
    peak = max([*values, target[1] if target else 0, 1])
    group_w = (width - left - right) / max(len(labels), 1)
    bar_w = max(min(group_w * 0.8 / max(len(series), 1), 40), 2)
    defs = "".join(p.format(id=f"{chart_id}-{name}") for name, p in PATTERNS)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_describe(labels, series, target))}</desc>',
        f"<defs>{defs}</defs>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#000"/>',
    ]
    for i, label in enumerate(labels):
        gx = left + i * group_w
        start = gx + (group_w - bar_w * len(series)) / 2
        for s, (_name, vals) in enumerate(series):
            value = vals[i] if i < len(vals) else None
            if value is None:  # no figure (no target that year): no bar, a dash
                x = start + s * bar_w
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - 3}" font-size="10" '
                    'text-anchor="middle">—</text>'
                )
                continue
            h = plot_h * value / peak
            x, y = start + s * bar_w, top + plot_h - h
            pattern = PATTERNS[s % len(PATTERNS)][0]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="url(#{chart_id}-{pattern})" stroke="#000" stroke-width="0.8"/>'
            )
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="middle">'
                f"{_fmt(value)}</text>"
            )
        fits = max(int(group_w // 11), 2)  # a label longer than its group is cut (the table has it whole)
        shown = label if len(label) <= fits else label[: fits - 1] + "…"
        parts.append(
            f'<text x="{gx + group_w / 2:.1f}" y="{top + plot_h + 14}" font-size="11" '
            f'text-anchor="middle">{escape(shown)}</text>'
        )
    if target:
        ty = top + plot_h - plot_h * target[1] / peak
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="#000" '
            f'stroke-dasharray="6 3" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{width - right}" y="{ty - 4:.1f}" font-size="11" text-anchor="end">'
            f"{escape(target[0])} {_fmt(target[1])}</text>"
        )
    if len(series) > 1:
        x = left
        for s, (name, _vals) in enumerate(series):
            pattern = PATTERNS[s % len(PATTERNS)][0]
            parts.append(
                f'<rect x="{x}" y="4" width="14" height="12" fill="url(#{chart_id}-{pattern})" '
                'stroke="#000" stroke-width="0.8"/>'
            )
            parts.append(f'<text x="{x + 18}" y="14" font-size="11">{escape(name)}</text>')
            x += 24 + 12 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _describe(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    target: tuple[str, float] | None,
) -> str:
    rows = []
    for i, label in enumerate(labels):
        cells = [f"{name} {_fmt(vals[i] if i < len(vals) else None)}" for name, vals in series]
        rows.append(f"{label}: " + "、".join(cells))
    if target:
        rows.append(f"{target[0]} {_fmt(target[1])}")
    return "。".join(rows)
