"""Mounted at /open311/v2/ by config/urls.py (GeoReport v2 paths are fixed by the standard)."""

from django.urls import path

from gorod.problems import open311

app_name = "open311"
urlpatterns = [
    path("discovery.json", open311.discovery, name="discovery"),
    path("discovery", open311.discovery),
    path("services.json", open311.services_list, name="services"),
    path("services/<slug:code>.json", open311.service_definition, name="service"),
    path("requests.json", open311.requests_view, name="requests"),
    path("requests/<int:request_id>.json", open311.request_detail, name="request"),
]
