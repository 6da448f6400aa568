"""Issue 25: one registry of kinds drives sending and the preferences page; every e-mail
carries RFC 8058 one-click unsubscribe headers whose POST works without a session or CSRF."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from gorod.notifications import services
from gorod.notifications.kinds import KINDS, UnknownKind
from gorod.notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db(transaction=True)

GOROD = Path(__file__).resolve().parents[2]


def _module_constants(tree: ast.Module) -> dict[str, str]:
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    constants[target.id] = node.value.value
    return constants


def kinds_sent_in_code() -> dict[str, list[str]]:
    """Every kind passed to ``notify(kind=...)`` anywhere in gorod (tests aside), with where."""
    sent: dict[str, list[str]] = {}
    for path in GOROD.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name != "notify":
                continue
            for keyword in node.keywords:
                if keyword.arg != "kind":
                    continue
                value = keyword.value
                if isinstance(value, ast.Constant):
                    kind = str(value.value)
                elif isinstance(value, ast.Name) and value.id in constants:
                    kind = constants[value.id]
                else:
                    kind = f"<not a literal at {path.name}:{node.lineno}>"
                sent.setdefault(kind, []).append(f"{path.relative_to(GOROD)}:{node.lineno}")
    return sent


def test_every_kind_sent_is_offered_on_the_preferences_page(resident):
    sent = kinds_sent_in_code()
    # Our City, ideas, pet messages, contests and discussions were sent but could not be turned off.
    assert {"problems", "idea_decision", "pet_message", "photo_contest", "discussion_comment"} <= set(sent)
    missing = {kind: where for kind, where in sent.items() if kind not in KINDS}
    assert missing == {}, f"kinds sent that residents cannot turn off: {missing}"
    client = Client()
    client.force_login(resident)
    page = client.get(reverse("notifications:preferences")).content.decode()
    for kind in KINDS:
        assert f'name="email_{kind}"' in page
    # no toggle for a kind nothing sends (counted in <main>: the header's phone menu is a checkbox too)
    assert page.split("<main", 1)[1].count('type="checkbox"') == len(KINDS)


def test_a_kind_outside_the_registry_cannot_be_sent(resident):
    with pytest.raises(UnknownKind):
        services.notify(resident_ids=[resident.pk], kind="general", event_key="e:x", title="T")
    assert not Notification.objects.exists()


def test_everything_turned_off_means_no_email_of_any_kind(resident):
    client = Client()
    client.force_login(resident)
    assert client.post(reverse("notifications:preferences"), {}).status_code == 302  # nothing ticked
    for kind in KINDS:
        services.notify(resident_ids=[resident.pk], kind=kind, event_key=f"off:{kind}", title=kind)
    assert Notification.objects.filter(resident=resident).count() == len(KINDS)  # still in the centre
    assert mail.outbox == []


def test_email_has_one_click_unsubscribe_headers_and_site_links(resident, settings):
    settings.GOROD_SITE_URL = "https://gorod.example.city"
    services.notify(
        resident_ids=[resident.pk], kind="problems", event_key="p:1", title="Answered", url="/problems/1/"
    )
    [message] = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://gorod.example.city/notifications/unsubscribe/") and header.endswith(
        ">"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://gorod.example.city/problems/1/" in message.body
    assert "127.0.0.1" not in message.body
    # The mail client's POST: no session, no CSRF cookie or token, the RFC 8058 body.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        header[1:-1].removeprefix("https://gorod.example.city"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Preference.objects.get(resident=resident, kind="problems").by_email is False
    services.notify(resident_ids=[resident.pk], kind="problems", event_key="p:2", title="Again")
    assert len(mail.outbox) == 1
