"""The points a mission pays read as a sentence with the plural form the number takes, not as a
template ("1,000 points per step (norms)"; audit of the resident's pages, item 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gorod.missions.tests.conftest import make_challenge

pytestmark = pytest.mark.django_db

NBSP = "\N{NO-BREAK SPACE}"


@pytest.mark.parametrize(
    ("language", "per_step", "sentence"),
    [
        ("en", 1000, "You earn 1,000 points for each step."),
        ("en", 1, "You earn 1 point for each step."),
        ("ru", 1000, f"За каждый шаг вы получаете 1{NBSP}000 баллов."),
        ("ru", 21, "За каждый шаг вы получаете 21 балл."),
        ("ru", 3, "За каждый шаг вы получаете 3 балла."),
    ],
)
def test_points_per_step_read_as_a_sentence(client, language, per_step, sentence):
    challenge = make_challenge(points_per_unit=per_step)
    page = client.get(reverse("missions:detail", args=[challenge.pk]), HTTP_ACCEPT_LANGUAGE=language)
    content = page.content.decode()
    assert sentence in content
    assert "per step (" not in content and "за шаг (" not in content
