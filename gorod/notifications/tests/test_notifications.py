from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from gorod.accounts.tests.factories import ResidentFactory
from gorod.notifications import services
from gorod.notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_notification_and_one_email_per_event(resident):
    other = ResidentFactory()
    for _ in range(3):
        services.notify(
            resident_ids=[resident.pk, other.pk, resident.pk],
            kind="building_news",
            event_key="poll:1:opened",
            title="A new poll in your district",
            url="/voting/polls/1/",
        )
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2
    assert "unsubscribe" in mail.outbox[0].body


def test_opted_out_residents_get_no_email_but_see_the_notification(resident):
    services.preference_set(resident=resident, kind="building_news", by_email=False)
    services.notify(resident_ids=[resident.pk], kind="building_news", event_key="e:1", title="T")
    assert Notification.objects.filter(resident=resident).count() == 1
    assert mail.outbox == []


def test_one_click_unsubscribe(resident):
    token = services.unsubscribe_token(resident.pk, "order_ready")
    client = Client()
    url = reverse("notifications:unsubscribe", args=[token])
    assert client.get(url).status_code == 200
    assert not Preference.objects.exists()  # a GET (e.g. a mail scanner) changes nothing
    assert client.post(url).status_code == 200
    assert Preference.objects.get(resident=resident, kind="order_ready").by_email is False


def test_forged_unsubscribe_link_is_refused(resident):
    response = Client().post(reverse("notifications:unsubscribe", args=["forged-token"]))
    assert response.status_code == 400
    assert not Preference.objects.exists()


def test_failed_delivery_can_be_retried(resident, settings):
    settings.EMAIL_BACKEND = "gorod.notifications.tests.failing_backend.FailingBackend"
    # The task fails (and is recorded as failed by the task backend); the caller is unaffected.
    services.notify(resident_ids=[resident.pk], kind="building_news", event_key="e:2", title="T")
    notification = Notification.objects.get(event_key="e:2")  # the business write stayed
    assert notification.emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notification_email_send(notification_id=notification.pk) is True
    assert services.notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_inbox_api_and_mark_read(api_client, resident):
    services.notify(resident_ids=[resident.pk], kind="building_news", event_key="e:3", title="Hello")
    body = api_client.get("/api/v1/notifications").json()
    assert body["unread"] == 1 and body["items"][0]["title"] == "Hello"
    assert api_client.post("/api/v1/notifications/read", {}, content_type="application/json").json() == {
        "marked": 1
    }
    assert api_client.get("/api/v1/notifications").json()["unread"] == 0
