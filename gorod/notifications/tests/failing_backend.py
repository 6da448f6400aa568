from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionError("mail server unreachable")
