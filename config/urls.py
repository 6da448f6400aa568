from __future__ import annotations

import importlib.util

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from config import ops
from config.api import APPS_IN_LAYER_ORDER, api
from gorod.accounts import views as accounts_views
from gorod.web import console

admin.site.site_header = console.SITE_HEADER
admin.site.site_title = console.SITE_TITLE
admin.site.index_title = console.INDEX_TITLE

handler404 = "config.ops.not_found"
handler500 = "config.ops.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics_view, name="metrics"),
    # The language switch, which also keeps a signed-in resident's choice for their e-mails.
    path("i18n/setlang/", accounts_views.language_set, name="set_language"),
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
