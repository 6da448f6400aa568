from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gorod.points import services

pytestmark = pytest.mark.django_db


def test_home_page_for_visitors_and_residents(resident):
    anonymous = Client().get("/")
    assert anonymous.status_code == 200 and b"Sign in" in anonymous.content
    client = Client()
    client.force_login(resident)
    services.award(resident=resident, programme="active_citizen", action="vote", source_key="vote:1")
    page = client.get("/")
    assert page.status_code == 200
    assert page.context["balance"].available == 20


def test_statement_page_has_bounded_queries(resident, django_assert_max_num_queries):
    for n in range(40):
        services.award(resident=resident, programme="active_citizen", action="vote", source_key=f"vote:{n}")
    client = Client()
    client.force_login(resident)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("points:mine"))
    assert page.status_code == 200
    assert len(page.context["page"].lines) == 25
    older = client.get(reverse("points:mine") + f"?cursor={page.context['page'].next_cursor}")
    assert len(older.context["page"].lines) == 15
    assert client.get(reverse("points:mine") + "?cursor=garbage").status_code == 200


def test_statement_needs_sign_in():
    response = Client().get(reverse("points:mine"))
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_how_points_work_is_generated_from_the_rules(django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        page = Client().get(reverse("points:how"))
    text = page.content.decode()
    assert "Submit a meter reading" in text and "5% of the amount" in text
    assert "up to 15,000" in text


def test_russian_pages(resident):
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    assert "Войти" in client.get("/").content.decode()


def test_header_shows_each_service_once_and_its_pages_below(resident):
    client = Client()
    client.force_login(resident)
    page = client.get(reverse("points:mine"))
    top = [item.app_label for item in page.context["nav_items"]]
    assert len(top) == len(set(top)) and "points" in top
    section = [str(item.label) for item in page.context["section_nav"]]
    assert section == ["My points", "How points work"]


def test_statement_and_rules_in_russian(resident):
    services.award(resident=resident, programme="active_citizen", action="vote", source_key="vote:ru")
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(resident)
    text = client.get(reverse("points:mine")).content.decode()
    assert "Голосование в городском опросе" in text and "Активный гражданин" in text
    assert "Передача показаний счётчика" in client.get(reverse("points:how")).content.decode()
