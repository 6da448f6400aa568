"""Settings of the bare baseline: what Django needs to answer a JSON request, nothing more.

No middleware at all (no sessions, CSRF, locale, security headers, request logging): the
baseline is the floor that gorod's own middleware stack, auth and checks are measured against.
"""

import os

import dj_database_url

SECRET_KEY = os.environ.get("BARE_SECRET_KEY", "bare-baseline-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["bare"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bare.urls"
WSGI_APPLICATION = "bare.wsgi.application"
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default="postgres://postgres@127.0.0.1:5432/bench_bare",
        # the same persistent connections as gorod's bench (DATABASE_CONN_MAX_AGE=600)
        conn_max_age=600,
    )
}
CACHES = {
    "default": {
        "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bare"},
        "redis": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/3"},
    }[os.environ.get("BARE_CACHE", "locmem")]
}
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGGING_CONFIG = None
