"""Pure arithmetic of survey results: percentages (one decimal, half up), the UCLA score and bands,
the response rate and differences in points. No models, no database."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .items import UCLA_CODES, UCLA_MAX, UCLA_MIN

TENTH = Decimal("0.1")


def pct(count: int, base: int) -> Decimal | None:
    """count / base as a percentage rounded half up to one decimal (4.25 → 4.3, never banker's)."""
    if not base:
        return None
    return (Decimal(count) * 100 / Decimal(base)).quantize(TENTH, rounding=ROUND_HALF_UP)


def pct_sum(values: list[Decimal | None]) -> Decimal:
    """The sum of rounded percentages, shown as is (may be 99.9 or 100.2)."""
    return sum((v for v in values if v is not None), Decimal("0.0"))


def ucla_score(answers: dict[str, int | None]) -> int | None:
    """3–12 when all three UCLA items are answered (each 1–4); otherwise no score."""
    values = [answers.get(code) for code in UCLA_CODES]
    if any(v is None or not 1 <= v <= 4 for v in values):
        return None
    total = sum(v for v in values if v is not None)
    assert UCLA_MIN <= total <= UCLA_MAX
    return total


def ucla_band(score: int | None) -> str | None:
    if score is None:
        return None
    if score == 3:
        return "3"
    if score <= 6:
        return "4-6"
    if score <= 9:
        return "7-9"
    return "10-12"


def response_rate(responses: int | None, sample_size: int | None) -> Decimal | None:
    if responses is None or not sample_size:
        return None
    return pct(responses, sample_size)


def points(local: Decimal | None, national: Decimal | None) -> Decimal | None:
    """Difference in percentage points (local − national), one decimal."""
    if local is None or national is None:
        return None
    return (local - national).quantize(TENTH, rounding=ROUND_HALF_UP)
