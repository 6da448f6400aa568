from __future__ import annotations

from django_tasks import task

from gorod.notifications import services


@task()
def send_notification_email(notification_id: int) -> bool:
    """Send one notification's e-mail; a retry never sends it twice."""
    return services.notification_email_send(notification_id=notification_id)
