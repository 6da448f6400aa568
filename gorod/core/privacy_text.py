"""Personal data in resident-written free text: find and mask e-mail addresses and phone numbers.

One rule for the whole platform (DESIGN.md section 7, issue 9): text a resident writes is shown
to other people without the contacts it may carry. Where apps mask:

- at storage, when the text is public by nature and its author gains nothing from the original
  (problem reports and answers, pet notices and pet messages): the service stores the masked
  text. Problem texts are masked again on the way out (report page, report API, duplicate
  lookup), which covers rows stored before this rule;
- at display, everywhere else: the row keeps what the author wrote, the author and moderators
  see it, other readers get it through ``mask_contacts`` (the ``mask_contacts`` and
  ``mask_contacts_unless`` template filters in ``gorod.core.templatetags.privacy_text``, or the
  API's serializer). Today: ideas (title, text) and idea comments, approved 'other' answers of
  polls. Rating comments are never shown to anyone, so they are stored as written.

Masking an already masked text changes nothing, so both ways can meet safely.
"""

from __future__ import annotations

import re

MASK = "[…]"

# user@host.tld, also the usual spam-dodging spellings: "user (at) host.ru", "user [at] host.ru".
# It starts only where a run of name characters starts (the leftmost match starts there anyway):
# tried inside the run, each start re-read the run to its end, and 20,000 digits took 30 s.
EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s*(?:@|\(at\)|\[at\]| at |\(собака\))\s*"
    r"[\w-]+(?:(?:\.|\s*\(dot\)\s*|\s*\[dot\]\s*)[\w-]+)*(?:\.|\s*\(dot\)\s*|\s*\[dot\]\s*)[^\W\d_]{2,}\b",
    re.IGNORECASE | re.UNICODE,
)
# A phone: an optional +, then 7 to 15 digits that may be split by spaces, dashes, dots or
# brackets (Moscow numbers are written "8 (916) 123-45-67", "+7 916 1234567", "123-45-67").
PHONE_RE = re.compile(r"(?<![\w])\+?\d(?:[\s\-().]*\d){6,14}(?![\w])")
# Runs of digits that look like a phone but are a date or a span of years ("12.05.2026",
# "2024-2026"): residents write them often and they identify nobody.
_NOT_A_PHONE = (
    re.compile(r"\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})"),
    re.compile(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}"),
    re.compile(r"\d{4}-\d{2}-\d{2}"),
)


def _phone_or_keep(match: re.Match[str]) -> str:
    found = match.group(0)
    if any(pattern.fullmatch(found) for pattern in _NOT_A_PHONE):
        return found
    return MASK


def mask_contacts_counted(text: str) -> tuple[str, int]:
    """The text with e-mail addresses and phone numbers replaced by ``MASK``, and how many."""
    if not text:
        return text or "", 0
    masked, emails = EMAIL_RE.subn(MASK, text)
    phones = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal phones
        result = _phone_or_keep(match)
        phones += result == MASK
        return result

    masked = PHONE_RE.sub(replace, masked)
    return masked, emails + phones


def mask_contacts(text: str) -> str:
    """The text with e-mail addresses and phone numbers replaced by ``MASK``."""
    return mask_contacts_counted(text)[0]


def has_contacts(text: str) -> bool:
    return mask_contacts_counted(text)[1] > 0
