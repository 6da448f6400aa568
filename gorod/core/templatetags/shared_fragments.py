"""``{% shared scope "name" vary... %}…{% endshared %}``: a part of a signed-in page that is the
same for everyone who asks with the same ``vary`` values, rendered once per process and version
of ``scope`` (gorod.core.cache.shared_cache), for at most GOROD_PUBLIC_CACHE_SECONDS.

Rendering a page's shared parts (a catalogue's cards and filters, the list of services) cost
more than reading their rows, which ``shared_cache`` already keeps; this keeps their HTML too.
The key also holds the active language and time zone. Inside the block the page's personal
context cannot leak into what is kept for everyone: ``user`` is a signed-out visitor and the CSRF
token is a placeholder that the reader's own token replaces on every render (as in
gorod.core.cache.public_cache). A ``vary`` value of None renders the block afresh and keeps nothing:
the view's way of saying "this variant is personal" (a catalogue filtered by the resident's
balance). Data the block reads must be shared too: use it for nothing a resident alone sees.
"""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import get_token
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from gorod.core.cache import public_cache, shared_cache

register = template.Library()


class SharedNode(template.Node):
    def __init__(self, nodelist: NodeList, scope: FilterExpression, parts: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.scope = scope
        self.parts = parts

    def render(self, context: template.Context) -> SafeString:
        values = [part.resolve(context) for part in self.parts]
        if any(value is None for value in values):
            return self.nodelist.render(context)
        key = (
            "html",
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            *(str(value) for value in values),
        )
        html = shared_cache.remember(
            str(self.scope.resolve(context)), key, lambda: self._render_shared(context)
        )
        request = context.get("request")
        # While public_cache renders a page to keep, the placeholder stays: it puts each
        # visitor's token in when it serves the page.
        if request is not None and not public_cache.is_rendering(request):
            html = html.replace(public_cache.CSRF_PLACEHOLDER, get_token(request))
        return mark_safe(html)  # noqa: S308  # rendered by this node's templates, escaped there

    def _render_shared(self, context: template.Context) -> str:
        with context.push(user=AnonymousUser(), csrf_token=public_cache.CSRF_PLACEHOLDER):
            return str(self.nodelist.render(context))


@register.tag("shared")
def shared(parser: Parser, token: Token) -> SharedNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(
            f"'{bits[0]}' takes a scope and a fragment name, then any values the fragment varies with"
        )
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]]
    )
