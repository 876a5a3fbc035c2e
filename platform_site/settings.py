"""Settings for Tsunagu, read from the environment (django-environ).

Secure by default: DEBUG is off and SECRET_KEY must be given, unless APP_ENV says
"development" or "test" explicitly. Every variable is described in docs/configuration.md.
Any variable may instead be read from a file named by <VAR>_FILE (Docker/systemd secrets).
"""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.FileAwareEnv()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

APP_ENV = env.str("APP_ENV", default="production")
if APP_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured("APP_ENV must be production, development or test")
DEV_MODE = APP_ENV in {"development", "test"}

DEBUG = env.bool("DEBUG", default=APP_ENV == "development")
if DEV_MODE:
    SECRET_KEY = env.str("SECRET_KEY", default=f"insecure-{APP_ENV}-key-not-for-production")
else:
    # Required to serve: wsgi.py/asgi.py refuse to start without it, the system check
    # platform_site.E003 fails, and Django raises on any use of an empty key. Offline commands
    # that sign nothing (makemigrations, check of migrations) still run without it.
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG may only be on with APP_ENV=development")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEV_MODE else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form gets the Japanese error page (templates/403_csrf.html), not Django's English one.
CSRF_FAILURE_VIEW = "platform_site.errors.csrf_failure"
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "platform_site",
    "orgs",
    "councils",
    "cases",
    "surveys",
    "outreach",
    "consultations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise serves the collected static files (compressed, with far-future cache headers
    # for the hashed names), so the app server needs no proxy rule for /static/.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "platform_site.middleware.InvisibleCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sign-in and sessions (platform_site/signin/, docs/security.md 「サインインとセッション」):
    # no page of a signed-in user is kept by the browser; an idle session ends; a role that sees
    # personal data reaches nothing but the second-factor screens until a second factor is given.
    "platform_site.signin.middleware.NoStoreMiddleware",
    "platform_site.signin.middleware.IdleTimeoutMiddleware",
    "platform_site.signin.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "platform_site.middleware.ServiceUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Django's form templates, with the empty error list, <select> and <input> written out in Python
# (same markup, a fraction of the time: platform_site/lib/formrender.py).
FORM_RENDERER = "platform_site.lib.formrender.FormRenderer"

ROOT_URLCONF = "platform_site.urls"
WSGI_APPLICATION = "platform_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "platform_site.context_processors.platform_nav",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Form choices and exports read with .iterator(): on PostgreSQL that opens a server-side
    # cursor (DECLARE … WITH HOLD, then FETCH, then CLOSE: three round trips where one does,
    # ~10 ms of the registry list); they also break behind a transaction-pooling PgBouncer.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# SQLite (the embedded default): write-ahead logging, so readers never wait for a writer; writers
# take the write lock when their transaction begins (IMMEDIATE) and wait for it up to the busy
# timeout instead of failing with "database is locked" halfway through.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"] |= {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Their messages are Japanese through Django's own translations (LANGUAGE_CODE below).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out user+address pair
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)  # seconds a reset link works

# Japanese by default. The residents' pages (the public directory, platform_site/urls.py) are
# also served in English under /en/… (i18n_patterns, prefix_default_language=False): the
# language comes from the URL only, so a link can be shared and every unprefixed URL — every
# staff screen — stays Japanese whatever the browser asks for (LocaleMiddleware then falls
# back to LANGUAGE_CODE). Each language is named in itself on the switch (日本語 / English).
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Hashed, compressed (gzip and Brotli when available) copies made by collectstatic; in
# development and tests the plain finders serve the files as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEV_MODE
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 3600  # unhashed names; hashed ones are cached for a year
WHITENOISE_USE_FINDERS = DEV_MODE  # development and tests serve static/ without collectstatic

# Uploaded files are never written to disk: imports are read in memory only
# (no personal data or member lists left behind in the temp folder).
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = FILE_UPLOAD_MAX_MEMORY_SIZE
# What one imported table may hold and how much of its problems are shown
# (platform_site.lib.tabular.Limits; docs/import-export.md).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=2_000_000)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=32_767)
IMPORT_MAX_UNPACKED_MB = env.int("IMPORT_MAX_UNPACKED_MB", default=50)
IMPORT_MAX_SECONDS = env.float("IMPORT_MAX_SECONDS", default=60.0)
IMPORT_MAX_PROBLEMS = env.int("IMPORT_MAX_PROBLEMS", default=200)

# django-import-export: every import in one transaction, rolled back when any row is wrong
# (platform_site.lib.sheets); an admin upload waits in the cache between preview and confirm,
# never in the temp folder; its formats are ours (platform_site.lib.formats, see the admin mixin).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True  # the registry's import writes OrgChange history instead
IMPORT_EXPORT_TMP_STORAGE_CLASS = "platform_site.admin.PendingUploadStorage"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Rendered public directory pages (nothing personal: only what the directory publishes), keyed
# by the platform's registry version. Per process by default; PAGE_CACHE_URL may point at the
# shared cache (docs/deployment.md).
CACHES["pages"] = env.cache("PAGE_CACHE_URL", default="locmemcache://tsunagu-pages")
CACHES["pages"].setdefault("TIMEOUT", 300)
CACHES["pages"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 1000)

# Background work (django.tasks): the leaflet PDF, registry imports and exports run on a worker
# (`python manage.py db_worker`), queued in the database by django-tasks-db. The task's
# arguments are a job id only; what a job reads and makes is in platform_site.models.Job.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOB_RESULT_SECONDS = env.int("JOB_RESULT_SECONDS", default=3600)
JOB_INLINE_ROWS = env.int("JOB_INLINE_ROWS", default=1000)  # larger imports and exports go to the worker

# Django 6.1 MAILERS. Emails carry no personal data, only a link (docs/data-protection.md).
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEV_MODE else "smtp://localhost:25")
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _email_options.items() if v not in (None, "")}
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tsunagu@localhost")

# Security headers. Content Security Policy is Django 6's own.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "style-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # the longest a session lasts
# A session with no request for this many minutes ends (platform_site.signin.middleware).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
if SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES must be at least 1")

# Lock-out at sign-in (django-axes): by user AND address together, never by address alone — a
# whole city office signs in from one address. After SIGNIN_FAILURE_LIMIT wrong passwords the
# pair is refused for SIGNIN_COOLOFF_MINUTES (or until an administrator unlocks it).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("SIGNIN_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "platform_site.signin.views.locked_out"  # the Japanese page, 429
AXES_ENABLE_ADMIN = True  # a superuser may also unlock through Django's admin

# Second factor (django-otp): TOTP in an authenticator app, ten single-use recovery codes.
OTP_TOTP_ISSUER = env.str("OTP_ISSUER", default="つなぐ")
OTP_TOTP_TOLERANCE = 1  # one 30-second step either side: phone clocks drift
HTTPS = env.bool("HTTPS", default=not DEV_MODE)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# On by default where HTTPS is: behind a TLS proxy set BEHIND_PROXY so Django sees https.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's health check may speak plain HTTP
# HSTS on by default where HTTPS is (one year); 0 turns it off.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Submitting a domain to the browsers' preload list is the domain owner's decision (it takes
# months to undo), not an installation default: its reminder is silenced unless preload is on.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # the lock-out counts by the client's address the one proxy in front reports, not the proxy's
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]  # a forged X-Forwarded-For counts for nothing

# Logs carry ids and action codes only, never names or case text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The Japanese font used for PDFs; the system check `platform_site.E001` fails when absent.
PDF_FONT_FAMILY = env.str("PDF_FONT_FAMILY", default="BIZ UDPGothic")
