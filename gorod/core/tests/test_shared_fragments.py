"""{% shared %}: a fragment of a signed-in page kept once for everyone with the same vary values,
rendered as a signed-out visitor would see it, with each reader's own CSRF token."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import _does_token_match, get_token
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.utils import translation

from gorod.core.cache import public_cache, shared_cache

pytestmark = pytest.mark.django_db

FRAGMENT = Template(
    "{% load shared_fragments %}"
    '{% shared "test.scope" "card" variant %}'
    "{{ counter.next }}|{{ user.is_authenticated }}|{% csrf_token %}"
    "{% endshared %}"
)


class Counter:
    """Counts how often the fragment was rendered."""

    def __init__(self) -> None:
        self.renders = 0

    def next(self) -> int:
        self.renders += 1
        return self.renders


def _render(counter: Counter, variant: object) -> tuple[str, str]:
    """The fragment as a new signed-in resident's page shows it, and their CSRF secret."""
    request = RequestFactory().get("/")
    residents = get_user_model()  # core may not import accounts (import-linter layers)
    request.user = residents.objects.create(username=f"r{residents.objects.count()}")
    context = Context({"counter": counter, "variant": variant, "request": request, "user": request.user})
    context["csrf_token"] = get_token(request)
    return FRAGMENT.render(context), request.META["CSRF_COOKIE"]


def _token_in(html: str) -> str:
    """The masked token in the fragment's form (checked with _does_token_match, the private
    helper Django's own middleware checks tokens with)."""
    return html.split('value="')[1].split('"')[0]


def test_kept_per_vary_value_until_the_scope_is_bumped():
    counter = Counter()
    first, _ = _render(counter, "a")
    second, _ = _render(counter, "a")
    assert first.startswith("1|") and second.startswith("1|")
    assert _render(counter, "b")[0].startswith("2|")
    shared_cache.bump("test.scope")
    assert _render(counter, "a")[0].startswith("3|")
    assert counter.renders == 3


def test_kept_per_language():
    counter = Counter()
    with translation.override("en"):
        _render(counter, "a")
    with translation.override("ru"):
        assert _render(counter, "a")[0].startswith("2|")


def test_none_renders_afresh_and_keeps_nothing():
    counter = Counter()
    assert [_render(counter, None)[0][:2] for _ in range(2)] == ["1|", "2|"]
    assert _render(counter, "a")[0].startswith("3|")


def test_rendered_as_a_signed_out_visitor_with_each_readers_own_token():
    counter = Counter()
    first, first_secret = _render(counter, "a")
    second, second_secret = _render(counter, "a")
    assert counter.renders == 1
    assert "|False|" in first  # the signed-in resident who rendered it is not in it
    assert first_secret != second_secret
    assert _does_token_match(_token_in(first), first_secret)
    assert _does_token_match(_token_in(second), second_secret)
    assert not _does_token_match(_token_in(second), first_secret)
    assert public_cache.CSRF_PLACEHOLDER not in second


def test_a_page_kept_by_public_cache_keeps_the_placeholder():
    """public_cache puts each visitor's token in when it serves the page it keeps."""
    counter = Counter()
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    setattr(request, "_gorod_public_cache_rendering", True)
    assert public_cache.is_rendering(request)
    context = Context({"counter": counter, "variant": "a", "request": request, "user": request.user})
    context["csrf_token"] = public_cache.CSRF_PLACEHOLDER
    html = FRAGMENT.render(context)
    assert _token_in(html) == public_cache.CSRF_PLACEHOLDER


def test_zero_seconds_keeps_nothing(settings):
    settings.GOROD_PUBLIC_CACHE_SECONDS = 0
    counter = Counter()
    assert [_render(counter, "a")[0][:2] for _ in range(2)] == ["1|", "2|"]


def test_needs_a_scope_and_a_name():
    with pytest.raises(TemplateSyntaxError, match="scope and a fragment name"):
        Template('{% load shared_fragments %}{% shared "only.scope" %}{% endshared %}')
