"""Amounts in a refusal read as the page around it writes them: «от 500 до 5 000 баллов» under
a hint of «не больше 5 000 баллов»; the API's details keep the plain integers."""

from __future__ import annotations

from django.utils import translation

from gorod.points.errors import InsufficientPoints
from gorod.rewards.errors import DonationAmountOutOfRange

NBSP = "\N{NO-BREAK SPACE}"


def test_a_donation_out_of_range_groups_its_bounds_in_the_readers_language():
    refusal = DonationAmountOutOfRange(minimum=500, maximum=5000)
    with translation.override("ru"):
        assert f"от 500 до 5{NBSP}000 баллов" in refusal.text
    with translation.override("en"):
        assert "between 500 and 5,000 points" in refusal.text
    assert refusal.as_dict()["details"] == {"minimum": 500, "maximum": 5000}


def test_a_shortage_of_points_groups_both_amounts():
    refusal = InsufficientPoints(available=14437, required=50000)
    with translation.override("ru"):
        assert f"14{NBSP}437" in refusal.text and f"50{NBSP}000" in refusal.text
    assert refusal.as_dict()["details"] == {"available": 14437, "required": 50000}
