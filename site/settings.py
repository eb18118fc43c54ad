"""Settings for the Runway Massage Studio site.

One module, driven by the environment (django-environ). A ``.env`` file next to
``manage.py`` is read when present; ``.env.example`` documents every variable.
With no environment at all the project runs on embedded defaults: DEBUG on,
SQLite, local media, console email, the offline Stripe stand-in. Production
differs only by environment variables, never by another settings file.
"""

import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from . import cache as site_cache
from . import csp

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)
TESTING = env.bool("TESTING", default=False)

# --- Secrets and hosts: required from the environment once DEBUG is off ---------
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-key-only-for-local-demo-use-never-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"])
else:
    missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS") if not env.str(name, default="")]
    if missing:
        raise ImproperlyConfigured(
            f"DEBUG is off, so {' and '.join(missing)} must be set in the environment (see .env.example)."
        )
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -----------------------------------------------------------------
INSTALLED_APPS = [
    "home",
    "blog",
    "packages",
    "staff",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Orders, account and gift-card pages: Cache-Control private, no-store (site/security.py).
    "site.security.PrivatePagesMiddleware",
    "site.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole pages for anonymous visitors when PAGE_CACHE_SECONDS > 0 (home/performance/middleware.py).
    "home.performance.middleware.AnonymousPageCacheMiddleware",
    # Inside the page cache, so a cached page keeps the policy it was rendered with.
    "site.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff two-factor sign-in (staff/two_factor.py): an enrolled user's admin session asks for a
    # TOTP code after the password; STAFF_2FA_REQUIRED_GROUPS must enrol.
    "django_otp.middleware.OTPMiddleware",
    "staff.two_factor.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page (staff/lockout.html).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "site.urls"
WSGI_APPLICATION = "site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "django.template.context_processors.csp",  # {{ csp_nonce }} for our few inline scripts
            ],
            # {% url %} reversed and |truncatewords worked out once per process (home/performance/).
            "builtins": ["home.performance.url_tag", "home.performance.text_filters"],
        },
    },
]

# --- Database ---------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores SELECT ... FOR UPDATE: IMMEDIATE transactions take the write lock up front and
    # writers wait (queued on a file lock by site/sqlite/), so concurrent writes serialise safely.
    DATABASES["default"]["ENGINE"] = "site.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=str(BASE_DIR / ".test-db.sqlite3"))}
# Persistent connections, SQLite included: closing the last connection to a WAL database
# checkpoints the log into the file and deletes it (fsyncs), about 7 ms after each write request
# when every request closed its own (a webhook delivery does ~10 ms of work).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django 6.1 + PostgreSQL: Wagtail's search fields need it (check postgres.E005).
    INSTALLED_APPS.append("django.contrib.postgres")
    # No JIT (unless the URL's ?options= says so): a join the planner overestimated (search results'
    # page types) spent 440 ms compiling for 0.1 ms of work; a page's queries take milliseconds.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------
# CACHE_URL (or REDIS_URL) when set; else memory under DEBUG, with DEBUG off files under CACHE_DIR
# every worker on this machine shares (site/cache.py). Several app servers need Redis.
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
CACHE_DIR = env.path("CACHE_DIR", default=str(BASE_DIR / "var" / "cache"))
if _cache_url:
    CACHES = {"default": environ.Env.cache_url_config(_cache_url)}
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "site.cache.SharedFileCache",
            "LOCATION": str(CACHE_DIR),
            "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=5000)},
        }
    }
# Redis fail-open: while it is away, pages are served uncached and rate limits count per worker (site/cache.py).
CACHES["default"] = site_cache.fail_open(CACHES["default"])
# Wagtail's rendition lookups: the default cache without a rewrite per {% image %} tag.
CACHES["renditions"] = {"BACKEND": "site.cache.RenditionCache", "LOCATION": "default"}
# {% contentcache %} fragments: the default cache, read in one round trip (home/performance/prefetch.py).
CACHES["template_fragments"] = {"BACKEND": "home.performance.prefetch.FragmentCache", "LOCATION": "default"}
# django-environ lower-cases ?key_prefix=, ?timeout=…; Django's Redis backend reads them upper-case.
for _option in ("key_prefix", "timeout", "version"):
    if _option in CACHES["default"]:
        CACHES["default"][_option.upper()] = CACHES["default"].pop(_option)
# Public content cached under one "content generation" that publishing, offers, settings… bump
# (home/performance/generation.py), kept in the default cache. Fast by default: in production
# (DEBUG off) with a cache every worker shares (the file cache above, or CACHE_URL), whole pages
# for anonymous visitors (PAGE_CACHE_SECONDS) and content fragments, nav data and lookups
# (CONTENT_CACHE_SECONDS) are cached for 300 s; a publish reaches every worker at once. Under
# DEBUG (runserver) the content cache is on and the page cache off (a template edit shows at
# once); the in-process test suite (TESTING with DEBUG) turns both off unless a test turns them
# on. A per-process cache with DEBUG off (a locmem:// CACHE_URL) turns both off.
_SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
_PRODUCTION_CACHING = not DEBUG and _SHARED_CACHE
CONTENT_CACHE_SECONDS = env.int(
    "CONTENT_CACHE_SECONDS", default=300 if _PRODUCTION_CACHING or (DEBUG and not TESTING) else 0
)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300 if _PRODUCTION_CACHING else 0)

# --- Passwords and staff sign-in ------------------------------------------------------
# django-axes counts failed sign-ins (any login form) in the database, shared by every worker:
# AXES_FAILURE_LIMIT failures from one address or for one username lock it out for
# AXES_COOLOFF_MINUTES (the lockout page says so); Managers see them under Reports (README).
AUTHENTICATION_BACKENDS = [
    "staff.backends.RequestAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "staff/lockout.html"
AXES_CLIENT_IP_CALLABLE = "site.security.client_ip"
AXES_VERBOSE = False
# Groups whose members must use two-factor sign-in (TOTP), e.g. "Managers"; anyone may enrol.
STAFF_2FA_REQUIRED_GROUPS = env.list("STAFF_2FA_REQUIRED_GROUPS", default=[])
OTP_TOTP_ISSUER = "Runway Massage Studio"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
_FILE_STORAGE = "home.performance.storage.MemoizedUrlFileSystemStorage"  # Django's, each URL made once
STORAGES = {
    "default": {"BACKEND": env.str("DEFAULT_FILE_STORAGE", default=_FILE_STORAGE)},
    # Hashed, compressed names served by WhiteNoise; the manifest needs collectstatic (not DEBUG, tests).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "home.performance.storage.MemoizedUrlStaticFilesStorage"  # WhiteNoise's, each URL made once
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Email (Django 6.1 MAILERS; EMAIL_BACKEND is deprecated) -----------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Runway Massage Studio <hello@runway-massage.example>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
_email_url = env.str("EMAIL_URL", default="consolemail://")
if _email_url.startswith(("smtp://", "smtps://", "smtp+tls://")):
    _smtp = environ.Env.email_url_config(_email_url)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp["EMAIL_HOST"],
                "port": _smtp["EMAIL_PORT"],
                "username": _smtp["EMAIL_HOST_USER"],
                "password": _smtp["EMAIL_HOST_PASSWORD"],
                "use_tls": _smtp.get("EMAIL_USE_TLS", False),
                "use_ssl": _smtp.get("EMAIL_USE_SSL", False),
                "timeout": 10,
            },
        }
    }
elif _email_url.startswith("consolemail://"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    raise ImproperlyConfigured(f"EMAIL_URL must be smtp://, smtps:// or consolemail://, not {_email_url!r}")

# --- Background tasks (Django's tasks framework; Wagtail 8 queues index updates) ---
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# --- Proxies ---------------------------------------------------------------------------
# How many reverse proxies of our own (load balancer, CDN, nginx) sit in front of the app and
# append to X-Forwarded-For. 0 (the default): the app is reached directly, and no forwarded
# header is believed: REMOTE_ADDR is the client, and X-Forwarded-Proto cannot make a plain
# HTTP request look like HTTPS. With N > 0 the client is the Nth address from the right of
# X-Forwarded-For (site.security.client_ip) and X-Forwarded-Proto decides request.is_secure().
# The proxy must overwrite (not pass through) X-Forwarded-Proto. SHOP_TRUSTED_PROXY_COUNT is
# the older name, still read.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("SHOP_TRUSTED_PROXY_COUNT", default=0))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 (no proxy) or the number of proxies in front.")
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# gunicorn.conf.py reads the same variable (the proxies' addresses, used only with
# TRUSTED_PROXY_COUNT > 0); it is here so `check --deploy` can refuse "*" (site/checks.py).
FORWARDED_ALLOW_IPS = env.str("FORWARDED_ALLOW_IPS", default="127.0.0.1,::1")

# --- Security (production) -----------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview panel frames our own pages
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# check --deploy: SAMEORIGIN framing is deliberate (W019, see X_FRAME_OPTIONS), and HSTS
# preloading is a per-domain opt-in that is hard to undo (W021, see SECURE_HSTS_PRELOAD).
SILENCED_SYSTEM_CHECKS = ["security.W019", "security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Paths in Django's request logging ("Not Found: /shop/orders/<token>/") lose their secrets.
    "filters": {"redact_paths": {"()": "site.log_redaction.RedactPathsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_paths"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task start and finish drowns the demo's printed emails.
        "django.tasks": {"level": env.str("TASKS_LOG_LEVEL", default="WARNING")},
        "django_tasks": {"level": env.str("TASKS_LOG_LEVEL", default="WARNING")},
        # Failures and lockouts are WARNINGs (usernames and addresses masked); INFO is per-attempt noise.
        "axes": {"level": "WARNING"},
    },
}

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Runway Massage Studio"
WAGTAILADMIN_BASE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
# Wagtail's database backend with queries cleaned first (site/search.py: SQLite answered 500 for `"`);
# on SQLite also ranked in one pass over the FTS5 table (site/sqlite/search.py).
_SEARCH = "site.sqlite.search" if DATABASES["default"]["ENGINE"] == "site.sqlite" else "site.search"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": _SEARCH}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILAPI_BASE_URL = SITE_URL
WAGTAILAPI_LIMIT_MAX = 100

# --- Stripe --------------------------------------------------------------------------
# With no secret key the shop runs on the offline Checkout stand-in, which signs
# its events with STRIPE_WEBHOOK_SECRET exactly as Stripe does. In production
# (DEBUG off) that needs an explicit STRIPE_OFFLINE_CHECKOUT=1: never by accident.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_OFFLINE_CHECKOUT = env.bool("STRIPE_OFFLINE_CHECKOUT", default=False)
if bool(STRIPE_SECRET_KEY) != bool(STRIPE_WEBHOOK_SECRET):
    raise ImproperlyConfigured(
        "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET together: real Stripe needs both, "
        "the offline stand-in needs neither."
    )
STRIPE_OFFLINE = not STRIPE_SECRET_KEY
if STRIPE_OFFLINE and not DEBUG and not STRIPE_OFFLINE_CHECKOUT:
    raise ImproperlyConfigured(
        "DEBUG is off and no Stripe keys are set: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET "
        "(see .env.example), or STRIPE_OFFLINE_CHECKOUT=1 to run the offline test checkout on purpose."
    )
if STRIPE_OFFLINE:
    # Derived from SECRET_KEY: the same in every process of one deployment (the worker signs,
    # the web process verifies), different for every deployment, and never in the source.
    STRIPE_WEBHOOK_SECRET = "whsec_offline_" + hashlib.sha256(f"stand-in:{SECRET_KEY}".encode()).hexdigest()[:40]
SHOP_CURRENCY = env.str("SHOP_CURRENCY", default="usd")
# Stripe Tax adds tax at Checkout (set up Stripe Tax first); orders and receipts show it.
SHOP_AUTOMATIC_TAX = env.bool("SHOP_AUTOMATIC_TAX", default=False)
# Where the stand-in POSTs its signed events (defaults to SITE_URL + /stripe/webhook/).
STRIPE_STAND_IN_WEBHOOK_URL = env.str("STRIPE_STAND_IN_WEBHOOK_URL", default="")
# Processed Stripe events keep their payload (names, emails) this many days; the nightly
# prune_stripe_events job then empties it (the row and its event id stay).
STRIPE_EVENT_RETENTION_DAYS = env.int("STRIPE_EVENT_RETENTION_DAYS", default=90)

# A separate front end can send buyers back to its own pages ({ORDER} is replaced
# with the order token, {CHECKOUT_SESSION_ID} by Stripe). Empty: our own pages.
SHOP_FRONTEND_SUCCESS_URL = env.str("SHOP_FRONTEND_SUCCESS_URL", default="")
SHOP_FRONTEND_CANCEL_URL = env.str("SHOP_FRONTEND_CANCEL_URL", default="")

# --- Gift cards -------------------------------------------------------------------------
# Codes are stored only as an HMAC under this key (falls back to SECRET_KEY).
GIFT_CARD_CODE_KEY = env.str("GIFT_CARD_CODE_KEY", default=SECRET_KEY)
# No expiry by default. A studio that sets one cannot go below five years from issue
# (US CARD Act); the terms shown to buyers say so.
GIFT_CARD_EXPIRY_YEARS = env.int("GIFT_CARD_EXPIRY_YEARS", default=0)
if GIFT_CARD_EXPIRY_YEARS and GIFT_CARD_EXPIRY_YEARS < 5:
    raise ImproperlyConfigured("GIFT_CARD_EXPIRY_YEARS must be 0 (no expiry) or at least 5 (US CARD Act).")

# --- Customer account -----------------------------------------------------------------
# "My account" signs customers in with a single-use link sent by email (no passwords).
SHOP_ACCOUNT_LINK_MINUTES = env.int("SHOP_ACCOUNT_LINK_MINUTES", default=15)
# How long an account session lasts after following a link (kept in the Django session).
SHOP_ACCOUNT_SESSION_MINUTES = env.int("SHOP_ACCOUNT_SESSION_MINUTES", default=60)
# The "print your gift card" link in the recipient's email is signed and expires after this.
GIFT_CARD_PRINT_LINK_DAYS = env.int("GIFT_CARD_PRINT_LINK_DAYS", default=30)
# Rate limits as "requests/seconds", counted in the default cache (Redis in production,
# so every app server shares the counts). Identities are hashed before they become keys.


def _rate_limit(variable: str, default: str) -> tuple[int, int]:
    value = env.str(variable, default=default)
    count, _, seconds = value.partition("/")
    if not (count.isdigit() and seconds.isdigit() and int(count) > 0 and int(seconds) > 0):
        raise ImproperlyConfigured(f"{variable} must look like 5/900 (requests/seconds), not {value!r}.")
    return int(count), int(seconds)


SHOP_RATE_LIMITS = {
    "account_email": _rate_limit("SHOP_RATE_ACCOUNT_EMAIL", "5/900"),  # sign-in links per address
    "account_ip": _rate_limit("SHOP_RATE_ACCOUNT_IP", "20/3600"),  # sign-in links per client address
    "gift_code": _rate_limit("SHOP_RATE_GIFT_CODE", "10/3600"),  # balance/print look-ups per code
    "gift_code_ip": _rate_limit("SHOP_RATE_GIFT_CODE_IP", "30/3600"),  # balance/print look-ups per client
    "checkout_ip": _rate_limit("SHOP_RATE_CHECKOUT_IP", "20/3600"),  # checkouts started per client
    "checkout_email": _rate_limit("SHOP_RATE_CHECKOUT_EMAIL", "10/3600"),  # checkouts started per buyer email
}
# Client addresses for rate limits come from site.security.client_ip (TRUSTED_PROXY_COUNT, above).
SHOP_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- Headless API ------------------------------------------------------------------------
# Wagtail's content API at /api/v2/ and /api/v3/ (home/api/), read by a separate front
# end. See README.md, "Content API (headless)".
INSTALLED_APPS += ["wagtail.api.v3", "wagtail_headless_preview", "corsheaders"]
# First, so preflight requests and error responses get their CORS headers too.
MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")
# Browser origins allowed to call /api/ (comma-separated, e.g. https://www.example.com).
# None by default: same-origin only.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
# ETag is not a CORS-safelisted response header; front-end code needs it for conditional GETs.
CORS_EXPOSE_HEADERS = ["ETag"]
# The public API renders rich text as front-end HTML, never Wagtail's database format.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_SEARCH_ENABLED = True
# Seconds browsers and CDNs may reuse an API response before revalidating it with its ETag
# (0: revalidate every time, so a publish shows at once; the answer is then usually a 304).
CONTENT_API_MAX_AGE = env.int("CONTENT_API_MAX_AGE", default=0)
# Headless preview: when set, the admin's Preview sends editors to this front-end URL with
# ?content_type=<app.model>&token=<signed token>; the front end fetches the draft from
# /api/v2/page_preview/ (or /api/v3/page_preview/) with both. Unset: Wagtail's own preview.
HEADLESS_PREVIEW_URL = env.str("HEADLESS_PREVIEW_URL", default="")
HEADLESS_PREVIEW_TOKEN_MAX_AGE = env.int("HEADLESS_PREVIEW_TOKEN_MAX_AGE", default=30 * 60)
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": HEADLESS_PREVIEW_URL} if HEADLESS_PREVIEW_URL else {},
    # The front end's preview route is used exactly as configured.
    "ENFORCE_TRAILING_SLASH": False,
}

# --- Content Security Policy and Permissions-Policy --------------------------------------------
# Django 6.1's CSP middleware (site.security.ContentSecurityPolicyMiddleware): the policies
# themselves, and why each source is there, are in site/csp.py.
SECURE_CSP = csp.public_policy(MEDIA_URL, extra_img_src=env.list("CSP_EXTRA_IMG_SRC", default=[]))
ADMIN_CSP = csp.admin_policy(
    MEDIA_URL, extra_img_src=env.list("CSP_EXTRA_IMG_SRC", default=[]), preview_url=HEADLESS_PREVIEW_URL
)
PERMISSIONS_POLICY = csp.PERMISSIONS_POLICY

# One `manage.py crontask` process (django-crontask) enqueues each job on its cron line for
# the task workers. A run counts once per job and minute (jobs.JobRun), so a second scheduler
# started by mistake changes nothing; with Redis, a second one also waits for the first's lock.
INSTALLED_APPS += ["crontask", "jobs"]
CRONTASK = {"REDIS_URL": env.str("SCHEDULER_REDIS_URL", default=env.str("REDIS_URL", default="")) or None}
# Finished task results and job-run records older than this are deleted nightly.
TASK_RESULTS_KEEP_DAYS = env.int("TASK_RESULTS_KEEP_DAYS", default=14)
# APScheduler logs every firing at INFO; each job's own record is in the admin and the "jobs" log.
LOGGING["loggers"]["apscheduler"] = {"level": env.str("SCHEDULER_LOG_LEVEL", default="WARNING")}

# --- Admin avatars -----------------------------------------------------------------------------
# No Gravatar: staff avatars are Wagtail's default (or an uploaded one), so the admin works offline
# and sends no staff email hashes to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- The demo terminal (`make demo`; site/demo_terminal.py) ------------------------------------
# Console email under DEBUG prints each message readably (headers, decoded text, whole links).
# Every log record once: Django's own "django" handler (console under DEBUG, mail_admins without
# ADMINS) would print it beside the root's; db_worker's per-task INFO lines obey TASKS_LOG_LEVEL.
if DEBUG and _email_url.startswith("consolemail://"):
    MAILERS["default"]["BACKEND"] = "site.demo_terminal.ReadableConsoleEmailBackend"
LOGGING["filters"]["task_level"] = {
    "()": "site.demo_terminal.TaskLogLevelFilter",
    "level": env.str("TASKS_LOG_LEVEL", default="WARNING"),
}
LOGGING["handlers"]["console"]["filters"].append("task_level")
LOGGING["loggers"]["django"] = {"handlers": ["console"], "level": "INFO", "propagate": False}
