"""gorod settings, read from environment variables.

The defaults need nothing: a SQLite file in the working directory, DEBUG on, console e-mail.
Production sets at least DJANGO_SECRET_KEY, DJANGO_DEBUG=0, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from config.databases import DATABASES, GOROD_READ_REPLICA  # noqa: F401  (DATABASES: a setting)
from config.env import DEBUG, env_bool, env_list, env_rate

BASE_DIR = Path(__file__).resolve().parent.parent


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "insecure-demo-key-for-local-use-only-" + "x" * 20
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# The site's public address, the base of every link in e-mails and feeds (gorod.core.site);
# required with debug off (``check --deploy`` fails without an https:// address).
GOROD_SITE_URL = os.environ.get("GOROD_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# The city's look (gorod/web/theme.py, README "Your city's look"): its name per language, a logo
# (static path or URL) and the brand colour with its hover shade and the text colour on it.
GOROD_THEME = {
    "name": {
        "ru": os.environ.get("GOROD_CITY_NAME", "Город"),
        "en": os.environ.get("GOROD_CITY_NAME_EN", os.environ.get("GOROD_CITY_NAME", "Gorod")),
    },
    "logo": os.environ.get("GOROD_CITY_LOGO", "gorod/logo.svg"),
    "primary": os.environ.get("GOROD_THEME_PRIMARY", "#b3122a"),
    "primary_hover": os.environ.get("GOROD_THEME_PRIMARY_HOVER", "#8c0e21"),
    "primary_ink": os.environ.get("GOROD_THEME_PRIMARY_INK", "#ffffff"),
}
# Unknown URLs get the branded 404 page even with debug on (the demo), not Django's page listing
# every route; GOROD_DEBUG_404=1 brings Django's page back for developers.
GOROD_DEBUG_404 = env_bool("GOROD_DEBUG_404", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # gorod, in dependency layers (DESIGN.md section 3)
    "gorod.core",
    "gorod.accounts",
    "gorod.points",
    "gorod.notifications",
    "gorod.voting",
    "gorod.problems",
    "gorod.missions",
    "gorod.rewards",
    "gorod.news",
    "gorod.pets",
    "gorod.housing",
    "gorod.ideas",
    "gorod.privacy",
    "gorod.opendata",
    "gorod.web",
]

MIDDLEWARE = [
    "gorod.core.middleware.RequestIdMiddleware",
    # anonymous readers' copies of public API documents, before the rest of the stack runs
    "gorod.core.cache.public_responses.PublicResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gorod.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "gorod.core.middleware.CityTimeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "gorod.core.text_input.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # inside CSRF, so the 404 page it renders gets the token cookie its language switch needs
    "gorod.web.middleware.BrandedNotFoundMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gorod.accounts.second_factor.StaffSecondFactorMiddleware",
    "gorod.core.middleware.PrivatePagesMiddleware",
    "gorod.accounts.consent.ConsentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gorod.accounts.edge.NotSignedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "gorod.accounts.ratelimit.RateLimitMiddleware",
    "gorod.accounts.idempotency.IdempotencyMiddleware",
]

# Not in the chain of a cookie-less request to /api/ signed by a bearer token (config/handlers.py):
GOROD_NOT_FOR_BEARER_API = [
    "whitenoise.middleware.WhiteNoiseMiddleware",  # no static file is under /api/
    # no cookie, so nothing to forge; ninja's views are CSRF-exempt and its SessionAuth checks
    # CSRF itself when a session signs the request
    "django.middleware.csrf.CsrfViewMiddleware",
    # these look at the session's user: a token's resident is known only inside the view
    "django_otp.middleware.OTPMiddleware",
    "gorod.accounts.second_factor.StaffSecondFactorMiddleware",
    "gorod.accounts.consent.ConsentMiddleware",
    "gorod.accounts.edge.NotSignedInMiddleware",  # the API answers NotSignedIn itself (401)
    "django_htmx.middleware.HtmxMiddleware",  # no HTML
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # the console's admin/base_site.html in the city's look must win over django.contrib.admin's own
        "DIRS": [BASE_DIR / "gorod" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gorod.web.navigation.nav_items",
                "gorod.web.theme.city",
                "gorod.core.cache.public_cache.csrf_placeholder",
            ],
        },
    },
]

# Reads where staleness is harmless go to the replica when there is one (config/databases.py):
# public pages, catalogues and maps (GOROD_REPLICA_READ_PATHS), and a client that wrote is kept on
# the primary for GOROD_PRIMARY_PIN_SECONDS (read-your-writes).
if GOROD_READ_REPLICA:
    DATABASE_ROUTERS = ["gorod.core.db.replicas.ReplicaRouter"]
    # after the session middleware (it reads the pin cookie); pins every write answered below it
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
        "gorod.core.db.replicas.ReplicaReadsMiddleware",
    )
# Several nodes running run_schedules (a cluster): each job once per slot of this many seconds
# across all of them (gorod/core/schedules.py). 0, the default: every call runs every job.
GOROD_SCHEDULE_SLOT_SECONDS = int(os.environ.get("GOROD_SCHEDULE_SLOT_SECONDS", "0"))
GOROD_PRIMARY_PIN_SECONDS = int(os.environ.get("GOROD_PRIMARY_PIN_SECONDS", "15"))
GOROD_REPLICA_READ_PATHS = [
    r"/\Z",  # the home page (a resident's balance on it: pinned to the primary after a write)
    r"/voting/\Z",
    r"/voting/decisions/",
    r"/rewards/\Z",
    r"/rewards/map/",
    r"/problems/\Z",
    r"/news/",
    r"/pets/",
    r"/opendata/",
    r"/api/v1/polls\Z",
    r"/api/v1/rewards/catalogue\Z",
    r"/api/v1/news",
    r"/open311/v2/services",
]
# At FULL, writers queue for their turn in the kernel and flush the WAL after releasing the
# write lock, sharing flushes (gorod/core/db/sqlite/group_commit.py): a commit is still on disk
# when it returns. Off: SQLite flushes inside the lock, one writer at a time.
GOROD_SQLITE_GROUP_COMMIT = env_bool("GOROD_SQLITE_GROUP_COMMIT", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Resident"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gorod.accounts.backends.EmailOrPhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign_in"
# Staff land on their work, residents on the home page (gorod/web/landing.py).
LOGIN_REDIRECT_URL = "web:landing"
LOGOUT_REDIRECT_URL = "web:home"

# Sign-in throttling: five failures per account and address lock that account for 15 minutes from
# that address only. The address is the client's behind GOROD_TRUSTED_PROXY_COUNT proxies (never
# the proxy's, which would lock the account from everywhere), and the account is the one the
# login names, however it was typed (login in any case, e-mail or phone): gorod.accounts.auth_keys.
AXES_CLIENT_IP_CALLABLE = "gorod.accounts.auth_keys.client_address"
AXES_USERNAME_CALLABLE = "gorod.accounts.auth_keys.sign_in_username"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
# The language the city writes to a resident in who never chose one with the site's switch
# (e-mails are sent from a worker, away from any browser): the city's own, not LANGUAGE_CODE,
# which is only the pages' fallback for a browser that asks for neither language.
CITY_LANGUAGE = os.environ.get("GOROD_CITY_LANGUAGE", "ru")
if CITY_LANGUAGE not in dict(LANGUAGES):
    raise ValueError(f"GOROD_CITY_LANGUAGE must be one of {[code for code, _name in LANGUAGES]}")
USE_I18N = True
# Dates and numbers: one format per kind in each language (config/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
TIME_ZONE = "UTC"
# The city's own zone: pages show it and rules (reading windows, deadlines) reason in it.
CITY_TIME_ZONE = os.environ.get("GOROD_CITY_TIME_ZONE", "Europe/Moscow")
CITY_NAME = os.environ.get("GOROD_CITY_NAME", "Moscow")

# Payment providers for utility bills, by dotted path; the first takes new payments. The fake
# bank moves no money (anyone could mark a bill paid and collect the cashback), so it is the
# default only with debug on, and with debug off it refuses to load (README, "Plugging in a bank").
FAKE_BANK = "gorod.housing.providers.FakeBank"
PAYMENT_PROVIDERS = env_list("GOROD_PAYMENT_PROVIDERS", FAKE_BANK if DEBUG else "")
if not DEBUG and FAKE_BANK in PAYMENT_PROVIDERS:
    raise RuntimeError(
        "GOROD_PAYMENT_PROVIDERS lists the fake bank, which moves no money, while DJANGO_DEBUG is off: "
        "configure a real bank's adapter or leave online payment off"
    )

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Open data catalogue: generated files (one folder per generation) and their licence, an SPDX id
# (CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, ODC-By-1.0, ODbL-1.0, PDDL-1.0) or "id|title|url".
OPEN_DATA_ROOT = Path(os.environ.get("GOROD_OPEN_DATA_ROOT", MEDIA_ROOT / "opendata"))
OPEN_DATA_LICENCE = os.environ.get("GOROD_OPEN_DATA_LICENCE", "CC-BY-4.0")
OPEN_DATA_EVERY_MINUTES = int(os.environ.get("GOROD_OPEN_DATA_EVERY_MINUTES", "60"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "gorod.core.storage.StaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "gorod <noreply@gorod.local>")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("GOROD_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Request bodies past this size are refused before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Django's database sessions, loaded with hand-written SQL (one lookup on every signed-in page).
SESSION_ENGINE = "gorod.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language cookie is set like the session cookie: never to JavaScript, same-site, and
# (with debug off) only over https.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = SESSION_COOKIE_SAMESITE
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Probes talk to gunicorn directly over plain http: health answers there, not a redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Logs: one JSON line per record on stderr (request id included); ``GOROD_LOG_FORMAT=text``
# for plain lines. ``GOROD_ERROR_REPORT_URL`` also POSTs every ERROR record there as JSON.
LOG_FORMAT = os.environ.get("GOROD_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "gorod.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "error_report": {
            "()": "gorod.core.logs.ErrorReportHandler",
            "url": os.environ.get("GOROD_ERROR_REPORT_URL", ""),
        },
    },
    "root": {"handlers": ["console", "error_report"], "level": os.environ.get("GOROD_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # gorod.request writes the access line (with the request id); Django's own would repeat it.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}


# Rate limits (429 + Retry-After): per scope, per account and per client address, as
# (requests, window in seconds). Each can be set as "count/seconds" in GOROD_RATE_<SCOPE>_<PER>,
# e.g. GOROD_RATE_API_WRITE_ACCOUNT=60/60. Counted in the default cache (share it between app
# servers); GOROD_TRUSTED_PROXY_COUNT=1 behind one reverse proxy that sets X-Forwarded-For.

# The default cache holds the rate-limit counts: per process unless shared. With several gunicorn
# workers or servers share it: GOROD_CACHE=redis (django-redis, the production default in
# docs/deploy; GOROD_CACHE_LOCATION=redis://host:6379/1) or GOROD_CACHE=db (the database, with an
# atomic incr: gorod.core.cache.dbcache; run `manage.py createcachetable` once). GOROD_CACHE_BACKEND
# names any other backend. Counts use add + incr, atomic in each of these.
_CACHE_KIND = os.environ.get("GOROD_CACHE", "locmem")
_CACHE_DEFAULTS = {
    "locmem": ("django.core.cache.backends.locmem.LocMemCache", "gorod"),
    "db": ("gorod.core.cache.dbcache.AtomicDatabaseCache", "gorod_cache"),
    "redis": ("django_redis.cache.RedisCache", "redis://127.0.0.1:6379/1"),
}
if _CACHE_KIND not in _CACHE_DEFAULTS:
    raise ValueError("GOROD_CACHE must be locmem, db or redis")
CACHES = {
    "default": {
        "BACKEND": os.environ.get("GOROD_CACHE_BACKEND", _CACHE_DEFAULTS[_CACHE_KIND][0]),
        "LOCATION": os.environ.get("GOROD_CACHE_LOCATION", _CACHE_DEFAULTS[_CACHE_KIND][1]),
    }
}
GOROD_RATE_LIMITS_ENABLED = env_bool("GOROD_RATE_LIMITS_ENABLED", True)
GOROD_RATE_LIMITS = {
    "sign_in": {
        "account": env_rate("GOROD_RATE_SIGN_IN_ACCOUNT", "20/300"),
        "address": env_rate("GOROD_RATE_SIGN_IN_ADDRESS", "200/300"),
    },
    "sign_up": {"address": env_rate("GOROD_RATE_SIGN_UP_ADDRESS", "50/3600")},
    "password_reset": {
        "account": env_rate("GOROD_RATE_PASSWORD_RESET_ACCOUNT", "5/3600"),
        "address": env_rate("GOROD_RATE_PASSWORD_RESET_ADDRESS", "50/3600"),
    },
    "api_write": {
        "account": env_rate("GOROD_RATE_API_WRITE_ACCOUNT", "300/60"),
        "address": env_rate("GOROD_RATE_API_WRITE_ADDRESS", "100000/60"),
    },
    # Form posts of the site and console (ballots, readings, comments, donations, moderation).
    # The address limit is wide: many residents may share one address behind a provider's NAT.
    "page_write": {
        "account": env_rate("GOROD_RATE_PAGE_WRITE_ACCOUNT", "120/60"),
        "address": env_rate("GOROD_RATE_PAGE_WRITE_ADDRESS", "6000/60"),
    },
}
GOROD_TRUSTED_PROXY_COUNT = int(os.environ.get("GOROD_TRUSTED_PROXY_COUNT", "0"))
# Public pages (home, polls, rewards catalogue and their API lists) as signed-out visitors see
# them are kept this many seconds in each worker (gorod.core.cache.public_cache), and so are the parts
# of signed-in pages shared by many residents (gorod.core.cache.shared_cache); 0 turns both off.
GOROD_PUBLIC_CACHE_SECONDS = int(os.environ.get("GOROD_PUBLIC_CACHE_SECONDS", "10"))
# Each worker answers these itself, signed out, in each language, before it takes traffic
# (config/warmup.py); "navigation" stands for every page of the header open to anyone. Empty
# (GOROD_WARM_UP_PATHS=) loads code and templates only.
GOROD_WARM_UP_PATHS = env_list("GOROD_WARM_UP_PATHS", "/,navigation,/accounts/sign-in/,/api/v1/polls")
# Idempotency-Key: how long a stored response may be replayed (hours).
GOROD_IDEMPOTENCY_TTL_HOURS = int(os.environ.get("GOROD_IDEMPOTENCY_TTL_HOURS", "24"))

# Ballots waiting for the mix are sealed to this X25519 public key (64 hex digits), the current key
# epoch's (docs/adr/0003-ballot-secrecy.md, "Key custody"): `manage.py ballots_epoch_new` prints
# it. Its private key is split k of n among trustees and held only in the memory of a mixer they
# have unlocked (`manage.py ballots_unlock`); no process is configured with it. The demo (debug
# on, no key set) uses stand-in trustees whose keys derive from SECRET_KEY; with debug off that
# stand-in makes `check --deploy` fail (voting.E001), and without a key nothing starts.
GOROD_BALLOT_SEAL_PUBLIC_KEY = os.environ.get("GOROD_BALLOT_SEAL_PUBLIC_KEY", "").strip().lower()
GOROD_BALLOT_DEMO_CUSTODY = env_bool("GOROD_BALLOT_DEMO_CUSTODY", DEBUG and not GOROD_BALLOT_SEAL_PUBLIC_KEY)
if not GOROD_BALLOT_SEAL_PUBLIC_KEY and not GOROD_BALLOT_DEMO_CUSTODY:
    raise RuntimeError("GOROD_BALLOT_SEAL_PUBLIC_KEY must be set when DJANGO_DEBUG is off")
# Ballots are moved from the sealed pool to the count in shuffled batches of at least this many.
GOROD_BALLOT_MIX_MIN = 10

# Failed tasks of these kinds are retried by run_schedules with exponential backoff (base seconds,
# doubled per attempt, at most an hour) up to a number of attempts, then stay FAILED in the console.
GOROD_RETRYABLE_TASKS = env_list("GOROD_RETRYABLE_TASKS", "gorod.notifications.tasks.send_notification_email")
GOROD_TASK_RETRY_BASE = int(os.environ.get("GOROD_TASK_RETRY_BASE", "60"))
GOROD_TASK_MAX_ATTEMPTS = int(os.environ.get("GOROD_TASK_MAX_ATTEMPTS", "5"))

# Operations: /readyz fails when the oldest ready task waited longer than this (seconds);
# /metrics asks for this bearer token when set.
GOROD_READY_TASK_MAX_AGE = int(os.environ.get("GOROD_READY_TASK_MAX_AGE", "300"))
GOROD_METRICS_TOKEN = os.environ.get("GOROD_METRICS_TOKEN", "")

# Map tiles: a URL template ({z}/{x}/{y}) every map of the site uses, so a city can serve its own
# tiles; empty draws maps without a background layer (an offline install, a bench on a machine
# without internet, where each failed tile is a console error). Their credit line goes with them.
GOROD_MAP_TILES = os.environ.get("GOROD_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
GOROD_MAP_ATTRIBUTION = os.environ.get("GOROD_MAP_ATTRIBUTION", "© OpenStreetMap contributors")
# Content-Security-Policy: no inline scripts or styles anywhere; map tiles are the one outside
# resource (GOROD_MAP_TILE_ORIGIN, by default the tiles' own origin).
_tiles = urlsplit(GOROD_MAP_TILES)
GOROD_MAP_TILE_ORIGIN = os.environ.get(
    "GOROD_MAP_TILE_ORIGIN", f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.netloc else ""
)
GOROD_CONTENT_SECURITY_POLICY = os.environ.get(
    "GOROD_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    f"img-src 'self' data: blob: {GOROD_MAP_TILE_ORIGIN}; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
# camera: the pickup desk reads QR codes with it; geolocation: maps centre on the resident.
GOROD_PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(self), payment=()"

# Points: the number of shards of each programme's issuance account (hot-row contention).
POINTS_ISSUANCE_SHARDS = int(os.environ.get("GOROD_POINTS_ISSUANCE_SHARDS", "8"))

# Sign-in: the city's identity providers, the staff second factor and the level an owners'
# meeting asks for (config/identity.py).
from config.identity import (  # noqa: E402, F401 (settings are read from this module)
    GOROD_OIDC_PROVIDERS,
    GOROD_OWNERS_MEETING_MIN_LEVEL,
    GOROD_STAFF_PATHS,
    GOROD_STAFF_SECOND_FACTOR,
    OTP_TOTP_ISSUER,
)
