from __future__ import annotations

import importlib.util

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from config import ops
from config.api import APPS_IN_LAYER_ORDER, api

admin.site.site_header = "gorod"
admin.site.site_title = "gorod console"
admin.site.index_title = "Operator console"

handler500 = "config.ops.server_error"
handler404 = "gorod.web.views.not_found"

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("gorod.problems.open311_urls")),
]

# Each app's resident pages live under its own prefix; the web shell owns the root.
for app in APPS_IN_LAYER_ORDER:
    if app != "web" and importlib.util.find_spec(f"gorod.{app}.urls") is not None:
        urlpatterns.append(path(f"{app}/", include(f"gorod.{app}.urls")))
urlpatterns.append(path("", include("gorod.web.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
