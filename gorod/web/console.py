"""The operator console's (Django admin's) titles, in the staff member's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SITE_HEADER = "gorod"
SITE_TITLE = _("gorod console")
INDEX_TITLE = _("Operator console")
