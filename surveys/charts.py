"""Server-rendered horizontal bar charts (SVG geometry computed here; the template only draws).
No JavaScript: the same SVG goes into the page and the printed PDF report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

LABEL_WIDTH = 250
BAR_MAX = 300  # 100% → 300 units
ROW_HEIGHT = 26
WIDTH = LABEL_WIDTH + BAR_MAX + 70


def bars(
    rows: list[tuple[str, Decimal | None]], *, compare: list[Decimal | None] | None = None
) -> dict[str, Any]:
    """Geometry for one chart: each row's label, bar width and value text; with `compare`, a thin
    second bar (the national figure) under each."""
    drawn: list[dict[str, Any]] = []
    step = ROW_HEIGHT + (10 if compare else 0)
    for index, (label, pct) in enumerate(rows):
        y = index * step
        value = float(pct) if pct is not None else 0.0
        row: dict[str, Any] = {
            "label": label,
            "y": y,
            "text_y": y + 17,
            "width": round(value * BAR_MAX / 100, 1),
            "value": "—" if pct is None else f"{pct}%",
            "value_x": LABEL_WIDTH + round(value * BAR_MAX / 100, 1) + 6,
        }
        if compare is not None:
            other = compare[index]
            compare_width = round(float(other or 0) * BAR_MAX / 100, 1)
            row["compare_width"] = compare_width
            row["compare_y"] = y + 22
            row["compare_value"] = "" if other is None else f"{other}%"
            row["compare_value_x"] = LABEL_WIDTH + compare_width + 6
        drawn.append(row)
    return {
        "rows": drawn,
        "width": WIDTH,
        "height": max(step * len(rows), ROW_HEIGHT),
        "label_width": LABEL_WIDTH,
        "bar_height": 20,
        "compare": compare is not None,
    }
