"""On a phone-sized screen a demo resident takes the open quiz (score, correct answers and points
shown in place), then rates a city novelty and sees its average; quest progress in the browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gorod.accounts import demo as accounts_demo
from gorod.accounts.models import Resident
from gorod.points import selectors as points_selectors
from gorod.voting import demo
from gorod.voting.quizzes import demo as demo_quizzes
from gorod.voting.quizzes.models import QuizAttempt
from gorod.voting.ratings.models import Rating

from .quiz_helpers import restore_rules
from .test_browser import serious_accessibility_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_takes_quiz_and_rates_a_novelty_on_a_phone(browser_page: Any) -> None:
    page = browser_page
    restore_rules()
    accounts_demo.seed()
    demo.seed()
    page.set_viewport_size({"width": 390, "height": 844})

    sign_in(page, "anna", accounts_demo.DEMO_PASSWORD)
    page.goto("/voting/quizzes/")
    page.get_by_role("link", name=demo_quizzes.QUIZ_TITLE).click()
    quiz_url = page.url
    page.get_by_label("1147").check()
    page.get_by_label("Yauza").check()
    page.get_by_label("Setun").check()
    page.get_by_label("Tverskaya").check()  # wrong: Varvarka
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_test_id("quiz-score").wait_for()
    assert page.url == quiz_url  # htmx swapped the result in place
    assert page.get_by_test_id("quiz-score").inner_text() == "2 of 3 correct"
    assert page.get_by_test_id("quiz-points").inner_text() == "You earned 30 points."  # 20 + 2 × 5
    assert page.locator("#quiz strong", has_text="correct answer").count() == 4
    assert serious_accessibility_violations(page) == []
    anna = Resident.objects.get(username="anna")
    assert QuizAttempt.objects.get(resident=anna).correct == 2
    assert points_selectors.balance(anna).balance == 30
    no_overflow = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_overflow)

    page.goto("/voting/pulse/")
    card = page.locator("article", has_text=demo_quizzes.TRAM_TITLE)
    card.get_by_label("4", exact=True).check()
    card.get_by_label("Comment (optional)").fill("Quiet and warm")
    card.get_by_role("button", name="Rate").click()
    average = page.locator("article", has_text=demo_quizzes.TRAM_TITLE).get_by_test_id("pulse-average")
    average.wait_for()
    assert average.inner_text() == "Average 4.1 from 6 ratings"  # (5+4+5+3+4+4)/6 = 4.16, rounded down
    expect(page.get_by_text("You earned 3 points.")).to_be_visible()
    assert Rating.objects.get(resident=anna).comment == "Quiet and warm"
    assert page.evaluate(no_overflow)
    assert serious_accessibility_violations(page) == []

    page.context.clear_cookies()
    sign_in(page, "boris", accounts_demo.DEMO_PASSWORD)
    page.goto("/voting/quizzes/")
    page.get_by_role("link", name=demo_quizzes.QUEST_TITLE).click()
    assert page.get_by_test_id("quest-progress").inner_text() == "1 of 3 tasks done"
    page.get_by_role("button", name="I have done it").click()
    page.get_by_text("This task is not done yet: vote in the poll first.").wait_for()
    assert page.get_by_test_id("quest-progress").inner_text() == "1 of 3 tasks done"
    assert serious_accessibility_violations(page) == []
