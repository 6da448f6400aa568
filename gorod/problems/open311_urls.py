"""Mounted at /open311/v2/ by config/urls.py (GeoReport v2 paths are fixed by the standard).
Every call answers in XML or JSON by its extension; ``discovery`` without one answers JSON."""

from django.urls import path, re_path

from gorod.problems import open311

FMT = r"\.(?P<fmt>xml|json)$"

app_name = "open311"
urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    path("discovery", open311.discovery),
    re_path(r"^services" + FMT, open311.services_list, name="services"),
    re_path(r"^services/(?P<code>[-a-zA-Z0-9_]+)" + FMT, open311.service_definition, name="service"),
    re_path(r"^requests" + FMT, open311.requests_view, name="requests"),
    re_path(r"^requests/(?P<request_id>[0-9]+)" + FMT, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[-0-9A-Za-z_~:]+)" + FMT, open311.token_detail, name="token"),
]
