"""Settings for the forum, driven by environment variables.

Development defaults are safe: debug is off unless DJANGO_DEBUG=1, and with debug
off a missing DJANGO_SECRET_KEY stops the process with a clear message. Every
variable read here goes through a forum.env helper, so a malformed one stops the
process as the settings load, with a one-line ImproperlyConfigured naming it
(manage.py, wsgi.py and asgi.py print that line and exit 1). Every variable is
documented in README's configuration table.
"""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from forum.env import (
    database_config,
    env_bool,
    env_choice,
    env_email_url,
    env_int,
    env_list,
    env_origins,
    env_rate,
    env_redis_url,
    env_site_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. It is required when DJANGO_DEBUG is off; "
            "set it to a long random string, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "mptt",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_include_bootstrap",
    "django_tasks",
    "django_tasks_db",
    "forum",
    "accounts",
    "articles",
    "comments",
    "notifications",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses pages (a 2,000-comment page is ~1 MB of HTML, ~100 KB gzipped); an
    # article's cached thread is kept compressed and joined, not compressed again
    # (forum.compression), gzip or zstd.
    # BREACH: CSRF tokens are masked anew on every response, and Django pads each
    # compressed response with random bytes ("Heal the BREACH"), so a secret in a
    # page cannot be recovered from its compressed length. Static files come
    # precompressed from whitenoise and pass through untouched.
    "forum.compression.CompressionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Needs request.user: signed-in responses get Cache-Control: private.
    "accounts.middleware.SignedInPagesArePrivateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # django-allauth's request context, and its answers raised as ImmediateHttpResponse.
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads request.GET or request.POST (CSRF reads it in process_view).
    "accounts.middleware.MalformedRequestMiddleware",
    # Before the view, after the CSRF check: limits every log-in door per address.
    "accounts.middleware.LoginThrottleMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses locked-out attempts before any check.
    "axes.backends.AxesStandaloneBackend",
    # Kept so that sessions it signed in stay valid.
    "django.contrib.auth.backends.ModelBackend",
    # django-allauth: log in by username or by email address.
    "allauth.account.auth_backends.AuthenticationBackend",
]

ROOT_URLCONF = "forum.urls"

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
                "notifications.context_processors.inbox",
                "comments.moderation.attention.moderation_attention",
            ],
        },
    },
]

WSGI_APPLICATION = "forum.wsgi.application"

# DATABASE_URL: the embedded SQLite file by default, postgres://… in production.
conn_max_age = env_int("DATABASE_CONN_MAX_AGE", default=60, minimum=0)
DATABASES = {
    "default": database_config(
        "DATABASE_URL",
        url=env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=conn_max_age,
    )
}
# DATABASE_REPLICA_URLS: comma-separated read replicas of the primary. Reads go
# to them (forum/db_router.py); writes, and a writer's next few requests, don't.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", default=[]), start=1):
    DATABASES[f"replica{number}"] = {
        **database_config("DATABASE_REPLICA_URLS", url=url, conn_max_age=conn_max_age),
        "TEST": {"MIRROR": "default"},
    }
FORUM_REPLICA_PIN_SECONDS = env_int("FORUM_REPLICA_PIN_SECONDS", default=10, minimum=0)
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["forum.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(0, "forum.db_router.PinToPrimaryMiddleware")
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.postgresql":
        # Room for a full-text search's bitmap of a common word's matches (hundreds of
        # thousands of rows) to stay exact: at the default 4 MB it turns lossy and
        # every row of a lossy page has its text parsed again (make bench, search).
        database.setdefault("OPTIONS", {}).setdefault("options", "-c work_mem=32MB")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # BEGIN IMMEDIATE makes each write transaction take SQLite's write lock up
    # front, so two writers queue instead of one failing half-way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

# Two caches. "default" holds state every process must share: rate-limit
# counters, cached ban states and the sessions' cache. It is Redis when
# REDIS_URL is set, else the database (table forum_cache, made by forum's
# migration). FORUM_PAGE_CACHE names the other, "pages": rendered HTML whose
# keys carry a version read from the database, so a stale copy is never asked
# for and each process may keep its own; Redis too when there is one. Redis is
# a hint, never a point of failure: while it is down both caches answer misses
# (forum/cache_backends.py), sessions come from the database and rate limits fail open.
REDIS_URL = env_redis_url("REDIS_URL")
FORUM_PAGE_CACHE = "pages"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "forum.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "forum",
        },
        FORUM_PAGE_CACHE: {
            "BACKEND": "forum.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "forum-pages",
        },
    }
    # Sessions are read from Redis and written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "forum_cache",
            # Django counts the table's rows on every write and culls past this;
            # culling live rate-limit rows would let extra attempts through.
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        },
        FORUM_PAGE_CACHE: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "forum-pages",
        },
    }
    # A database cache in front of the database would only add queries.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "articles:article-list"
LOGOUT_REDIRECT_URL = "articles:article-list"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (articles' photos): the local file system under MEDIA_ROOT, or any
# S3-compatible store when FORUM_MEDIA_S3_BUCKET is set (django-storages), so
# several app servers share them. See docs/operations.md.
MEDIA_URL = env_str("FORUM_MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env_str("FORUM_MEDIA_ROOT", default=str(BASE_DIR / "media")))
FORUM_MEDIA_S3_BUCKET = env_str("FORUM_MEDIA_S3_BUCKET", default="")
if FORUM_MEDIA_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": FORUM_MEDIA_S3_BUCKET,
            # Credentials from the usual AWS_* variables (boto3 reads them itself).
            "endpoint_url": env_str("FORUM_MEDIA_S3_ENDPOINT", default="") or None,
            "region_name": env_str("FORUM_MEDIA_S3_REGION", default="") or None,
            "custom_domain": env_str("FORUM_MEDIA_S3_DOMAIN", default="") or None,
            "querystring_auth": False,  # photos are public, their addresses lasting
            "file_overwrite": False,
        },
    }
    _domain = MEDIA_STORAGE["OPTIONS"]["custom_domain"]
    _endpoint = MEDIA_STORAGE["OPTIONS"]["endpoint_url"]
    MEDIA_ORIGINS = [f"https://{_domain}"] if _domain else [_endpoint or "https:"]
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_ORIGINS = []
# The largest photo an editor may upload.
FORUM_IMAGE_MAX_MB = env_int("FORUM_IMAGE_MAX_MB", default=10, minimum=1)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# HTTPS hardening: on by default whenever debug is off. DJANGO_HTTPS=0 lets a
# non-debug server run on plain http (on loopback, behind nothing).
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env_origins("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "forum.views.csrf_failure"

# Content-Security-Policy (django-csp): only our own scripts and styles, no
# plugins, never framed. Style attributes stay allowed for Django's admin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # A page may carry one style element of its own, with the request's nonce
        # (a reader's own votes, shown without JavaScript: comments.threads.pages).
        "style-src": ["'self'", NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        # Articles' photos: this site, or the S3-compatible store that holds them.
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# django-axes: repeated failed logins for one username from one address lock
# that pair out for a while (the answer is HTTP 429 and a page saying so).
AXES_FAILURE_LIMIT = env_int("FORUM_LOGIN_FAILURES", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FORUM_LOGIN_LOCKOUT_MINUTES", default=15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "forum.throttle.client_ip"
# Wrong passwords count against the account the log-in field names, however it is
# typed (username or email address, any case): see accounts.lockouts.
AXES_USERNAME_CALLABLE = "accounts.lockouts.lockout_username"
AXES_VERBOSE = False

# Accounts (django-allauth): sign up with a username, an email address and a
# password; log in with the username or the address. FORUM_EMAIL_VERIFICATION:
# "optional" signs a newcomer in at once (they may post while their address waits
# for verification); "mandatory" lets nobody log in before verifying. Either way,
# nothing but the verification message goes to an address that is not verified
# (accounts.emails.may_mail).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "add_email": "accounts.forms.AddEmailForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "FORUM_EMAIL_VERIFICATION", default="optional", choices=("optional", "mandatory")
)
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # never mail an address that has no account
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = True  # as before: a log-in lasts SESSION_COOKIE_AGE
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Forum] "
# allauth's own limits stay on (failed log-ins per address and per login, password
# resets, verification mails, ...) except two the forum owns: every log-in attempt
# per address (FORUM_LOGIN_RATE, accounts.middleware) and sign-ups per address
# (FORUM_SIGNUP_RATE, accounts.views.SignupView).
# allauth's failed-log-in limit counts per address only: its per-account count (5 in 5
# minutes from anywhere) let anyone lock a reader out; django-axes still locks an
# account out from the one address that keeps failing (FORUM_LOGIN_FAILURES).
ACCOUNT_RATE_LIMITS = {"login": None, "signup": None, "login_failed": "10/m/ip"}
# Addresses cannot be squatted, and sign-up tells nobody who is registered: see
# accounts.adapter. An account holds at most this many addresses, and
# FORUM_EMAIL_UNVERIFIED_MAX of them unverified (accounts.forms.AddEmailForm).
ACCOUNT_PREVENT_ENUMERATION = "strict"
ACCOUNT_MAX_EMAIL_ADDRESSES = 5
FORUM_EMAIL_UNVERIFIED_MAX = 2

LOG_LEVEL = env_choice(
    "DJANGO_LOG_LEVEL", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # django-axes logs every login at INFO; lockouts still show as warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Forum behaviour.
FORUM_COMMENT_MAX_LENGTH = 10_000
FORUM_ARTICLES_PER_PAGE = 20
FORUM_PROFILE_COMMENTS_PER_PAGE = 20
# Entries in each Atom feed (latest articles, an article's comments, a reader's).
FORUM_FEED_ITEMS = 30
# Search (/search/): results a page, the shortest and longest query accepted, the
# most words it may hold, how many matching comments are ranked and, on
# PostgreSQL, how many comments holding its words are read to check its phrases
# and exclusions (see search/queries.py); how often a client may search (per
# address, and per account when signed in) and how long a search may run before
# the database cancels it (see search/limits.py).
FORUM_SEARCH_PER_PAGE = 20
FORUM_SEARCH_MIN_LENGTH = 2
FORUM_SEARCH_MAX_LENGTH = 200
FORUM_SEARCH_MAX_WORDS = 8
FORUM_SEARCH_CANDIDATES = 300
FORUM_SEARCH_SCAN = 1000
FORUM_SEARCH_RATE = env_rate("FORUM_SEARCH_RATE", default="20/m")
FORUM_SEARCH_TIMEOUT_MS = env_int("FORUM_SEARCH_TIMEOUT_MS", default=1000, minimum=1)
FORUM_THREADS_PER_PAGE = env_int("FORUM_THREADS_PER_PAGE", default=100, minimum=1)
FORUM_MAX_VISIBLE_DEPTH = env_int("FORUM_MAX_VISIBLE_DEPTH", default=8, minimum=0)
FORUM_EDIT_WINDOW = timedelta(minutes=env_int("FORUM_EDIT_WINDOW", default=15, minimum=0))
FORUM_REPORTS_TO_HOLD = env_int("FORUM_REPORTS_TO_HOLD", default=3, minimum=1)
FORUM_MODERATION = env_choice("FORUM_MODERATION", default="post", choices=("post", "pre"))
FORUM_NEW_USER_HOLD = env_int("FORUM_NEW_USER_HOLD", default=0, minimum=0)
# A public moderation log (/modlog/) and tombstones that say why: "off", "on"
# (what, when and the public reason) or "names" (and which moderator).
FORUM_PUBLIC_MODLOG = env_choice(
    "FORUM_PUBLIC_MODLOG", default="off", choices=("off", "on", "names")
)
# Readers without an account: "off" (log in to comment) or "held" (they may post with
# a name and an email address, and a moderator approves each comment). With
# FORUM_GUEST_TRUST=approved-before, a guest whose earlier comment under the same
# address was approved is published at once (comments.policy owns both rules).
FORUM_GUEST_COMMENTS = env_choice("FORUM_GUEST_COMMENTS", default="off", choices=("off", "held"))
FORUM_GUEST_TRUST = env_choice(
    "FORUM_GUEST_TRUST", default="none", choices=("none", "approved-before")
)
# Rates are "N/s", "N/m", "N/h" or "N/d" (forum.env.parse_rate reads them).
FORUM_COMMENT_RATE = env_rate("FORUM_COMMENT_RATE", default="5/m")
FORUM_SIGNUP_RATE = env_rate("FORUM_SIGNUP_RATE", default="5/h")
FORUM_LOGIN_RATE = env_rate("FORUM_LOGIN_RATE", default="20/m")
FORUM_EDIT_RATE = env_rate("FORUM_EDIT_RATE", default="10/m")
FORUM_REPORT_RATE = env_rate("FORUM_REPORT_RATE", default="10/h")
# Email addresses an account may add (each mails a verification link), per day.
FORUM_EMAIL_ADD_RATE = env_rate("FORUM_EMAIL_ADD_RATE", default="5/d")
# Mentions: readers one comment may notify by mention over its life (edits included),
# and mention notifications per sender (comments.posting.limits); more stay links only.
FORUM_MENTIONS_PER_COMMENT = 10
FORUM_MENTION_RATE = env_rate("FORUM_MENTION_RATE", default="30/h")
# Report bombing: whose reports count toward the automatic hold, and how many
# comments one reporter's reports may help hold in an hour.
FORUM_REPORTER_MIN_AGE_HOURS = env_int("FORUM_REPORTER_MIN_AGE_HOURS", default=24, minimum=0)
FORUM_AUTO_HOLDS_PER_HOUR = env_int("FORUM_AUTO_HOLDS_PER_HOUR", default=3, minimum=0)
# A reporter with at least this many reports dismissed in 90 days, and more dismissed
# than resolved, counts half toward the hold (0: everyone counts fully).
FORUM_REPORTER_DISMISSED_LIMIT = env_int("FORUM_REPORTER_DISMISSED_LIMIT", default=3, minimum=0)
# Votes (comments.voting): how fast one reader may vote; the points at or below which
# a comment is shown folded; the sort a page shows by default; and how often, at
# most, the sorts by votes reorder threads and the points baked into cached pages
# change (the rule: docs/readers.md, "Votes and sorting").
FORUM_VOTE_RATE = env_rate("FORUM_VOTE_RATE", default="60/m")
FORUM_COLLAPSE_AT_SCORE = env_int("FORUM_COLLAPSE_AT_SCORE", default=-5)
FORUM_DEFAULT_SORT = env_choice(
    "FORUM_DEFAULT_SORT",
    default="best",
    choices=("best", "top", "newest", "oldest", "controversial", "replies"),
)
FORUM_RANK_SECONDS = env_int("FORUM_RANK_SECONDS", default=120, minimum=1)
# Every view that checks a password, by URL name: POSTs to any of them share the
# per-address FORUM_LOGIN_RATE (accounts.middleware.LoginThrottleMiddleware). A new
# log-in door must be added here.
FORUM_LOGIN_URL_NAMES = (
    "account_login",
    "account_change_password",
    "account_reauthenticate",
    "admin:login",
    "admin:password_change",
)
# How many proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
FORUM_TRUSTED_PROXIES = env_int("FORUM_TRUSTED_PROXIES", default=0, minimum=0)
if FORUM_TRUSTED_PROXIES:
    # Only a declared proxy may tell us the request came over https; without one,
    # X-Forwarded-Proto comes from the client and must not be believed.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The site's name: guests may not use it in theirs, nor sign up under it (accounts.names).
FORUM_SITE_NAME = env_str("FORUM_SITE_NAME", default="Forum")
# The site's public address, for links in emails (sent by a worker, with no
# request to take the host from).
FORUM_SITE_URL = env_site_url("FORUM_SITE_URL", default="http://127.0.0.1:8000")

# Mail. EMAIL_URL says how it leaves (forum.env.env_email_url). Unset, mail is
# printed to the console when debugging; in production it is not sent at all,
# and every process says so once as it starts (forum.startup) instead of
# failing on the first send.
FORUM_STARTUP_WARNINGS: list[str] = []
email_config = env_email_url("EMAIL_URL")
if email_config:
    globals().update(email_config)
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "forum.mail.UnconfiguredBackend"
    FORUM_STARTUP_WARNINGS.append(
        "EMAIL_URL is not set: no email will be sent (no verification, password reset "
        "or notification mail). Set it to an SMTP URL such as smtp+tls://user:pass@host:587."
    )
DEFAULT_FROM_EMAIL = env_str("FORUM_EMAIL_FROM", default="Forum <noreply@localhost>")
# A send that fails for a reason that may pass is tried again after each of these
# many seconds in turn (1 minute to 6 hours), then given up (notifications.delivery).
FORUM_EMAIL_RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
# Readers who choose a daily digest get it at this hour, UTC.
FORUM_DIGEST_HOUR = env_int("FORUM_DIGEST_HOUR", default=7, minimum=0)
if FORUM_DIGEST_HOUR > 23:
    raise ImproperlyConfigured(
        f"FORUM_DIGEST_HOUR must be an hour from 0 to 23, not {FORUM_DIGEST_HOUR}."
    )
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (django-tasks, the backport of Django 6's django.tasks).
# FORUM_TASK_BACKEND: "db" keeps the queue in the database and `python manage.py
# db_worker` runs it; "rq" keeps it in Redis (REDIS_URL) for many machines, run
# by `python manage.py rqworker --with-scheduler`; "immediate" runs each task
# inside the request that enqueues it (tests and debugging only).
FORUM_TASK_BACKEND = env_choice(
    "FORUM_TASK_BACKEND", default="db", choices=("db", "rq", "immediate")
)
if FORUM_TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("FORUM_TASK_BACKEND=rq needs REDIS_URL to name the Redis.")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif FORUM_TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _profile_url(user) -> str:
    from django.urls import reverse

    return reverse("comments:profile", kwargs={"username": user.get_username()})


# A reader's address on the site is their profile: user.get_absolute_url() is the
# one way to link to it (mentions, author names, the inbox, feeds).
ABSOLUTE_URL_OVERRIDES = {"auth.user": _profile_url}
