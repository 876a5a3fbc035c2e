from decimal import Decimal

import pytest

from surveys import scoring


@pytest.mark.parametrize(
    ("answers", "score"),
    [
        ({"ucla_1": 1, "ucla_2": 1, "ucla_3": 1}, 3),
        ({"ucla_1": 4, "ucla_2": 4, "ucla_3": 4}, 12),
        ({"ucla_1": 2, "ucla_2": 3, "ucla_3": 1}, 6),
        ({"ucla_1": 2, "ucla_2": None, "ucla_3": 1}, None),  # one unanswered → no score
        ({"ucla_1": 2, "ucla_3": 1}, None),
        ({"ucla_1": 5, "ucla_2": 1, "ucla_3": 1}, None),
    ],
)
def test_ucla_score(answers, score):
    assert scoring.ucla_score(answers) == score


@pytest.mark.parametrize(
    ("score", "band"),
    [(3, "3"), (4, "4-6"), (6, "4-6"), (7, "7-9"), (9, "7-9"), (10, "10-12"), (12, "10-12"), (None, None)],
)
def test_ucla_band(score, band):
    assert scoring.ucla_band(score) == band


def test_percentages_round_half_up_to_one_decimal():
    assert scoring.pct(1, 8) == Decimal("12.5")
    assert scoring.pct(1, 40) == Decimal("2.5")
    assert scoring.pct(17, 400) == Decimal("4.3")  # 4.25 → 4.3 (not banker's 4.2)
    assert scoring.pct(1, 3) == Decimal("33.3")
    assert scoring.pct(2, 3) == Decimal("66.7")
    assert scoring.pct(0, 0) is None


def test_sum_of_rounded_percentages_is_shown_as_is():
    assert scoring.pct_sum(
        [Decimal("7.5"), Decimal("12.8"), Decimal("24.3"), Decimal("41.8"), Decimal("13.8")]
    ) == Decimal("100.2")


def test_response_rate_of_kitakyushu():
    assert scoring.response_rate(2179, 7000) == Decimal("31.1")
    assert scoring.response_rate(145, 619) == Decimal("23.4")
    assert scoring.response_rate(385, 1000) == Decimal("38.5")
    assert scoring.response_rate(None, 1000) is None
    assert scoring.response_rate(10, None) is None


def test_difference_in_points():
    assert scoring.points(Decimal("7.5"), Decimal("4.5")) == Decimal("3.0")
    assert scoring.points(Decimal("13.8"), Decimal("23.7")) == Decimal("-9.9")
    assert scoring.points(None, Decimal("4.5")) is None
