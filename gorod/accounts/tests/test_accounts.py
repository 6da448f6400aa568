from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from gorod.accounts import permissions, roles, services
from gorod.accounts.errors import InvalidPhone, LoginTaken, SameLevel
from gorod.accounts.models import ApiToken, AuditEntry, LevelChange, Resident
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def sign_up_data(**overrides):
    data = {
        "username": "ivan",
        "first_name": "Ivan",
        "email": "ivan@example.test",
        "phone": "+7 (916) 123-45-67",
        "password": "a-long-city-password",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_sign_up_creates_a_simplified_account_and_signs_in():
    district = DistrictFactory()
    response = Client().post(reverse("accounts:sign_up"), sign_up_data(home_district=district.pk))
    assert response.status_code == 302
    resident = Resident.objects.get(username="ivan")
    assert resident.level == "simplified" and resident.phone == "+79161234567"
    assert resident.password.startswith("md5$") or resident.password.startswith("argon2")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "", "phone": ""}, None),
        ({"phone": "12345"}, "phone"),
        ({"password": "123"}, "password"),
        ({"username": "not a slug!"}, "username"),
    ],
)
def test_bad_sign_up_shows_the_error_and_creates_nothing(overrides, field):
    response = Client().post(reverse("accounts:sign_up"), sign_up_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    if field:
        assert field in form.errors
    assert not Resident.objects.filter(username=sign_up_data(**overrides)["username"]).exists()


def test_duplicate_login_is_refused(resident):
    with pytest.raises(LoginTaken):
        services.resident_sign_up(
            username=resident.username.upper(), password="x-long-password-1", email="n@x.test"
        )
    with pytest.raises(InvalidPhone):
        services.resident_sign_up(username="new", password="x-long-password-1", phone="555")
    assert not Resident.objects.filter(username="new").exists()


@pytest.mark.parametrize("login", ["resident-login", "mail@example.test", "+79990001122"])
def test_sign_in_with_login_email_or_phone(login):
    ResidentFactory(username="resident-login", email="mail@example.test", phone="+79990001122")
    client = Client()
    response = client.post(reverse("accounts:sign_in"), {"username": login, "password": "pass-word-123"})
    assert response.status_code == 302
    assert client.get(reverse("points:mine")).status_code == 200


def test_a_wrong_password_is_refused_in_the_words_of_the_form(resident):
    client = Client()
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": resident.username, "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    page = response.content.decode()
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "с таким логином, e-mail или телефоном" in page
    assert "имя пользователя" not in page


def test_repeated_failed_sign_ins_are_throttled(resident):
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:sign_in"), {"username": resident.username, "password": "wrong"})
    locked = client.post(
        reverse("accounts:sign_in"), {"username": resident.username, "password": "pass-word-123"}
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(resident):
    Client().post(reverse("accounts:password_reset"), {"email": resident.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-pass-42", "new_password2": "another-long-pass-42"},
    )
    assert done.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password("another-long-pass-42")


def test_api_token_is_shown_once_and_stored_hashed(resident):
    client = Client()
    client.force_login(resident)
    response = client.post(reverse("accounts:token_create"), {"name": "my app"})
    plain = response.context["new_token"]
    assert plain.startswith("gor_")
    token = ApiToken.objects.get(resident=resident)
    assert plain not in (token.digest, token.prefix) and token.digest != plain
    assert plain not in client.get(reverse("accounts:profile")).content.decode()
    again = client.post(reverse("accounts:token_create"), {"name": "my app"})
    assert again.status_code == 400 and ApiToken.objects.count() == 1


def test_level_change_is_kept_with_who_and_why(resident):
    operator = ResidentFactory(roles=[roles.OPERATOR])
    services.resident_level_change(resident=resident, level="full", actor=operator, reason="passport checked")
    resident.refresh_from_db()
    assert resident.level == "full"
    change = LevelChange.objects.get(resident=resident)
    assert (change.from_level, change.to_level, change.changed_by) == ("standard", "full", operator)
    assert AuditEntry.objects.filter(action="resident.level_change", actor=operator).exists()
    with pytest.raises(SameLevel):
        services.resident_level_change(resident=resident, level="full", actor=operator, reason="again")
    with pytest.raises(PermissionDenied):
        services.resident_level_change(
            resident=resident, level="standard", actor=ResidentFactory(), reason="x"
        )
    resident.refresh_from_db()
    assert resident.level == "full" and LevelChange.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "operator", "moderator"),
    [
        (None, False, False),
        (roles.MODERATOR, False, True),
        (roles.OPERATOR, True, True),
        (roles.PARTNER_STAFF, False, False),
        (roles.BUILDING_ADMINISTRATOR, False, False),
        (roles.ORGANISATION_RESPONDER, False, False),
    ],
)
def test_role_predicates(role, operator, moderator):
    person = ResidentFactory(roles=[role] if role else [])
    assert permissions.is_operator(person) is operator
    assert permissions.is_moderator(person) is moderator


def test_point_in_district_lookup():
    from gorod.accounts.selectors import district_at

    district = DistrictFactory()
    assert district_at(55.75, 37.6) == district
    assert district_at(59.9, 30.3) is None


@pytest.mark.parametrize("level", ["simplified", "standard", "full"])
def test_profile_tells_how_to_raise_the_level_only_below_full_and_in_whole_sentences(level):
    """A full account was told how to raise its level, in one item that began «Or bring your
    passport…» with nothing before it (no city identity provider configured)."""
    client = Client()
    client.force_login(ResidentFactory(level=level))
    page = client.get(reverse("accounts:profile")).content.decode()
    assert ('data-testid="raise-level"' in page) is (level != "full")
    assert "<li>Or bring your passport" not in page
    if level != "full":
        assert "Bring your passport to a city service centre" in page


@pytest.mark.parametrize(
    ("chosen", "asked_in", "subject", "words"),
    [
        # never chose a language: the city's (Russian), though the form was sent from an English page
        ("", "en", "Сброс пароля", "Выберите новый пароль"),
        ("en", "ru", "Password reset", "Choose a new password here:"),
    ],
)
def test_password_reset_e_mail_is_in_the_account_holders_language(resident, chosen, asked_in, subject, words):
    Resident.objects.filter(pk=resident.pk).update(language=chosen)
    Client().post(
        reverse("accounts:password_reset"), {"email": resident.email}, HTTP_ACCEPT_LANGUAGE=asked_in
    )
    (message,) = mail.outbox
    assert message.subject.startswith(subject) and words in message.body
