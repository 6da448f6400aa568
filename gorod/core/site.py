"""The site's public address (``GOROD_SITE_URL``), the one base of every link that leaves the
site: e-mails, feeds, unsubscribe headers. A request's own host is not used for these: an
e-mail is sent by the task worker, where there is no request, and a forged Host header must
not end up in a resident's mailbox."""

from __future__ import annotations

from django.conf import settings


def site_url(path: str = "/") -> str:
    """An absolute URL on the site for ``path`` (which starts with a slash)."""
    base = str(settings.GOROD_SITE_URL).rstrip("/")
    return f"{base}{path}" if path.startswith("/") else f"{base}/{path}"
