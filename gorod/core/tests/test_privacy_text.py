"""The platform's one rule for contacts in resident text (issue 9)."""

from __future__ import annotations

import time

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from gorod.core.privacy_text import MASK, has_contacts, mask_contacts, mask_contacts_counted


@pytest.mark.parametrize(
    "text",
    [
        "call +7 916 123-45-67",
        "call 8(916)1234567",
        "call 8 (916) 123-45-67 after six",
        "home phone 123-45-67",
        "+79161234567",
        "mail me: a.b@mail.ru",
        "write to ivan at yandex.ru",
        "write to ivan (at) yandex (dot) ru",
        "пишите ivan@почта.рф",
    ],
)
def test_contacts_are_masked(text):
    masked = mask_contacts(text)
    assert MASK in masked
    for secret in ("916", "123-45", "@", "yandex", "mail.ru", "почта"):
        assert secret not in masked


@pytest.mark.parametrize(
    "text",
    [
        "found on 12 May near house 25",
        "the meeting is on 12.05.2026 at 18:00",
        "plans for 2024-2026 at building 14",
        "deadline 2026-05-12, flat 117",
        "meet at the gate",
    ],
)
def test_ordinary_numbers_and_words_stay(text):
    assert mask_contacts(text) == text
    assert not has_contacts(text)


def test_counts_what_it_masked():
    assert mask_contacts_counted("a@b.ru and +7 916 123 45 67, twice a@b.ru") == (
        f"{MASK} and {MASK}, twice {MASK}",
        3,
    )
    assert mask_contacts_counted("") == ("", 0)


@given(st.text(max_size=200))
def test_masking_is_idempotent(text):
    once = mask_contacts(text)
    assert mask_contacts(once) == once


@given(
    st.text(alphabet="абвгд efgh ,.!", max_size=40),
    st.from_regex(r"\+7 9\d\d \d{3}-\d\d-\d\d", fullmatch=True),
    st.from_regex(r"[a-z]{3,8}@[a-z]{3,8}\.(ru|com|org)", fullmatch=True),
)
def test_a_phone_or_email_anywhere_in_text_is_masked(prose, phone, email):
    masked = mask_contacts(f"{prose} {phone} {prose} {email}. {prose}")
    assert phone not in masked and email not in masked
    assert prose in masked


def test_template_filter_masks_and_still_escapes():
    rendered = Template("{% load privacy_text %}{{ text|mask_contacts }}").render(
        Context({"text": "<b>call</b> +7 916 123-45-67"})
    )
    assert rendered == f"&lt;b&gt;call&lt;/b&gt; {MASK}"
    assert Template("{% load privacy_text %}{{ text|mask_contacts }}").render(Context({"text": None})) == ""


def test_unless_filter_keeps_the_original_only_when_told():
    template = Template("{% load privacy_text %}{{ text|mask_contacts_unless:original }}")
    assert (
        template.render(Context({"text": "call 8 916 123 45 67", "original": True})) == "call 8 916 123 45 67"
    )
    assert template.render(Context({"text": "call 8 916 123 45 67", "original": False})) == f"call {MASK}"


@pytest.mark.parametrize("text", ["0" * 20_000, "a." * 10_000, "x+" * 10_000])
def test_masking_a_long_run_takes_linear_time(text):
    """A 20,000-character run of name characters took 30 s (each start re-read the run): one request
    of a report's answer held a server worker that long."""
    started = time.perf_counter()
    mask_contacts(text)
    assert time.perf_counter() - started < 1
