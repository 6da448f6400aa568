"""A refusal for a too low account level names the level in the reader's language: a Russian
page said «нужен более высокий уровень учётной записи (standard)»."""

from __future__ import annotations

import pytest
from django.utils import translation

from gorod.voting.errors import LevelTooLow
from gorod.voting.quizzes.errors import QuizLevelTooLow


@pytest.mark.parametrize("refusal", [LevelTooLow, QuizLevelTooLow])
def test_the_level_a_refusal_needs_is_named_not_coded(refusal):
    error = refusal(required="standard")
    with translation.override("ru"):
        assert "(стандартная)" in error.text and "standard" not in error.text
    with translation.override("en"):
        assert "(standard)" in error.text
    assert error.as_dict()["details"] == {"required": "standard"}  # programs keep the code
