"""``{% load privacy_text %}`` then ``{{ idea.text|mask_contacts }}``: resident text shown to others."""

from __future__ import annotations

from django import template

from gorod.core import privacy_text

register = template.Library()


@register.filter(name="mask_contacts")
def mask_contacts(value: object) -> str:
    """The text without e-mail addresses and phone numbers (auto-escaping still applies)."""
    return privacy_text.mask_contacts("" if value is None else str(value))


@register.filter(name="mask_contacts_unless")
def mask_contacts_unless(value: object, show_original: object) -> str:
    """``{{ idea.text|mask_contacts_unless:show_original }}``: the author and moderators (for
    whom the view sets ``show_original``) read what was written, everyone else the masked text."""
    text = "" if value is None else str(value)
    return text if show_original else privacy_text.mask_contacts(text)
