from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gorod.accounts.edge import resident_of
from gorod.accounts.models import District, Resident
from gorod.core.errors import DomainError, NotFound
from gorod.news import selectors, services, services_follow
from gorod.news.forms import CatalogueSearchForm, InterestsForm
from gorod.news.models import Follow, Story, Topic


def feed(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("page", "1")
    topic = request.GET.get("topic", "")[:40]
    page = selectors.feed_page(request.user, page=int(raw) if raw.isdigit() else 1, topic=topic)
    return render(
        request,
        "news/feed.html",
        {
            "page": page,
            "topics": Topic.objects.all(),
            "topic": topic,
            "interests": selectors.interests_of(request.user),
        },
    )


def item(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        news_item = selectors.item_get(item_id)
    except NotFound:
        raise Http404 from None
    return render(request, "news/item.html", {"item": news_item})


@login_required
def interests(request: HttpRequest) -> HttpResponse:
    resident: Resident = resident_of(request)
    current = selectors.interests_of(resident)
    initial = {
        "home_district": resident.home_district,
        "car_plate": current.car_plate if current else "",
        "has_children": current.has_children if current else False,
        "has_pets": current.has_pets if current else False,
        "address": current.address if current else None,
    }
    form = InterestsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.interests_update(resident=resident, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.text)
            else:
                messages.success(request, _("Your interests are saved; the news feed follows them."))
                return redirect("news:feed")
    return render(request, "news/interests.html", {"form": form}, status=status)


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    category = request.GET.get("category", "")[:40]
    entries = selectors.catalogue(request.user, query=query, category=category)
    return render(
        request,
        "news/catalogue.html",
        {"form": form, "entries": entries, "topics": Topic.objects.all(), "category": category},
    )


def stories(request: HttpRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    raw = request.GET.get("page", "1")
    kind = request.GET.get("kind", "")[:10]
    page = Paginator(selectors.stories(kind=kind), 12).get_page(int(raw) if raw.isdigit() else 1)
    return render(request, "news/stories.html", {"page": page, "kind": kind})


def story(request: HttpRequest, story_id: int) -> HttpResponse:
    found: Story | None = selectors.stories().filter(pk=story_id).first()
    if found is None:
        raise Http404
    return render(request, "news/story.html", {"story": found})


def _ids(raw: list[str]) -> list[int]:
    return [int(value) for value in raw if value.isdigit()][:200]


@login_required
def follow(request: HttpRequest) -> HttpResponse:
    """Topics and districts to follow by the daily e-mail digest, and the feeds to subscribe to."""
    resident: Resident = resident_of(request)
    if request.method == "POST":
        services_follow.follows_set(
            resident=resident,
            topic_ids=_ids(request.POST.getlist("topic")),
            district_ids=_ids(request.POST.getlist("district")),
        )
        messages.success(request, _("Saved. The digest comes by e-mail the morning after news is published."))
        return redirect("news:follow")
    followed = set(Follow.objects.filter(resident=resident).values_list("topic_id", "district_id"))
    return render(
        request,
        "news/follow.html",
        {
            "topics": [(t, (t.pk, None) in followed) for t in Topic.objects.all()],
            "districts": [(d, (None, d.pk) in followed) for d in District.objects.order_by("name")],
        },
    )
