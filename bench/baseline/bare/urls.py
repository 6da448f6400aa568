"""Two endpoints through django-ninja, as gorod's API is served."""

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI, Schema

from bare.models import Row

api = NinjaAPI(title="bare", docs_url=None, openapi_url=None)

# about the size of a small poll's published results (two questions, seven options, districts)
RESULTS = {
    "poll_id": 1,
    "ballots": 12345,
    "questions": [
        {
            "id": q,
            "text": f"Question {q}",
            "options": [{"id": o, "text": f"Option {o}", "votes": 1000 + o} for o in range(4)],
        }
        for q in range(2)
    ],
    "districts": [{"code": f"d{d}", "ballots": 2000 + d} for d in range(5)],
}


class RowIn(Schema):
    payload: str


@api.post("/insert", response={201: dict})
def insert(request: HttpRequest, body: RowIn) -> tuple[int, dict]:
    row = Row.objects.create(payload=body.payload)
    return 201, {"id": row.pk}


@api.get("/cached")
def cached(request: HttpRequest) -> dict:
    value = cache.get("results")
    if value is None:
        value = RESULTS
        cache.set("results", value, None)
    return value


urlpatterns = [path("", api.urls)]
