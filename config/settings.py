"""Agora's settings. Everything a city changes comes from the environment (see config/env.py
and docs/configuration.md); what is written here are the defaults and the rules."""

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_parsed, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AGORA_VAR_DIR", str(BASE_DIR / "var")))

# The production switch: strict security, required secrets, compressed static files.
PRODUCTION = env_bool("AGORA_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)


def _development_secret_key() -> str:
    """A key generated once per checkout and kept, so sessions survive restarts."""
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Created readable by its owner only, never for a moment by anyone else.
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(key)
    return key


if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY is too weak: use at least 50 random characters."
        )
else:
    SECRET_KEY = env_str("SECRET_KEY", "") or _development_secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Environment variable ALLOWED_HOSTS is required in production.")
SITE_URL = env_str(
    "SITE_URL", f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "agora.core",
    "agora.accounts",
    "agora.pages",
    "agora.participation",
    "agora.ideas",
    "agora.surveys",
    "agora.citizen_requests",
    "agora.alerts",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "agora.core.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "agora.accounts.middleware.StaffSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

_context_processors = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.i18n",
    "wagtail.contrib.settings.context_processors.settings",
    "agora.core.context_processors.agora",
]
_loaders: list[Any] = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": _context_processors,
            "loaders": _loaders if DEBUG else [("django.template.loaders.cached.Loader", _loaders)],
        },
    }
]


def _database(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        name = str(config["NAME"])
        if name and name != ":memory:" and not name.startswith("/"):
            config["NAME"] = str(BASE_DIR / name)
        # WAL lets the web server read while the task worker writes; IMMEDIATE avoids
        # "database is locked" errors when both start a write at once.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif engine in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"):
        config["ENGINE"] = "django.db.backends.postgresql"
        config["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0)
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ValueError("only sqlite:// and postgres:// are supported")
    return config


DATABASES = {
    "default": env_parsed(
        "DATABASE_URL",
        f"sqlite:///{VAR_DIR / 'agora.sqlite3'}",
        _database,
        "expected sqlite:///path or postgres://user:password@host:port/name",
    )
}
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # Wagtail's search index uses PostgreSQL's full-text indexes there.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Sent by the monitoring as `Authorization: Bearer <token>` to read /health's details
# (version, queue counters); without it /health answers only "ok" or "error".
HEALTH_TOKEN = env_str("HEALTH_TOKEN", "")
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "Environment variable REDIS_URL is invalid: expected redis://host:port/db."
        )
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "agora",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif PRODUCTION:
    # Without Redis, the web processes of one machine still share one cache, so a page
    # published in one of them is renewed in all.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages for visitors without a session are served from the cache (agora/core/page_cache.py)
# until staff publish; 0 turns it off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300 if PRODUCTION else 0)
# A survey's public results files (PDF report, CSV, XLSX) are generated once per version of
# the results, whatever the query string or cookies; an address may have this many generated
# per minute (a PDF costs about 1.5 s of CPU), then gets a 429. Files from the cache are free.
RESULTS_FILE_GENERATIONS_PER_MINUTE = env_int("RESULTS_FILE_GENERATIONS_PER_MINUTE", 6)
# A project's participation counts (participants, ideas, responses) are kept this long: a
# page rebuilt after each contribution does not count thousands of rows again. 0 turns it off.
PARTICIPATION_COUNTS_SECONDS = env_int("PARTICIPATION_COUNTS_SECONDS", 60 if PRODUCTION else 0)
# Residents' flags hide an idea or a comment until a moderator reviews it once this many
# distinct participants flag it within FLAG_WINDOW_HOURS (agora/ideas/services.py `flag`).
FLAGS_TO_HIDE = env_int("FLAGS_TO_HIDE", 3)
FLAG_WINDOW_HOURS = env_int("FLAG_WINDOW_HOURS", 24)
# How many of the city's reverse proxies append to X-Forwarded-For in front of Agora (nginx
# alone: 1). 0 ignores the header: the address is the connection's (agora/core/integrity.py).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
# An anonymous contribution to one idea or survey is held for a moderator instead of counted
# past this many from one connection (an IPv4 address, an IPv6 /64) within a day, or past
# INTEGRITY_BURST_MINIMUM in ten minutes when that is ten times the item's usual pace.
INTEGRITY_PER_CONNECTION_PER_DAY = env_int("INTEGRITY_PER_CONNECTION_PER_DAY", 5)
INTEGRITY_BURST_MINIMUM = env_int("INTEGRITY_BURST_MINIMUM", 30)
# Open311 GeoReport v2 (agora/citizen_requests/open311_views.py): the jurisdiction_id this
# endpoint answers to (the city's domain, as the standard suggests; a client may also leave
# it out), and how many requests one API key may file per hour before a 429.
OPEN311_JURISDICTION_ID = env_str(
    "OPEN311_JURISDICTION_ID", (urlsplit(SITE_URL).hostname or "localhost").removeprefix("www.")
)
OPEN311_POSTS_PER_KEY_PER_HOUR = env_int("OPEN311_POSTS_PER_KEY_PER_HOUR", 120, minimum=1)
# A list of requests (GET requests) is kept this long in the cache, ready to send, for the
# same query: applications poll it, and a page of 1,000 requests is costly to build. 0 turns
# it off; a filing or the desk's changes show in the lists after at most this delay.
OPEN311_CACHE_SECONDS = env_int("OPEN311_CACHE_SECONDS", 60 if PRODUCTION else 0)
# A visitor with a session, or with a message waiting to be shown, always gets a fresh page.
# A participant sees their own contributions waiting for approval: their pages are fresh.
PAGE_CACHE_BYPASS_COOKIES = ["sessionid", "messages", "agora_participant"]
# Messages travel in a cookie, so that reading them never opens the session (which would make
# every public page uncacheable).
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "email", "alerts"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: French (Québec) first, English complete.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
# Agora's own messages, then the Québec French of the libraries' (quebec_library_messages).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-libraries"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_STORAGE = env_choice("MEDIA_STORAGE", "local", ("local", "s3"))
if MEDIA_STORAGE == "s3":
    _media_storage: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET", required=True),
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", required=True),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", required=True),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if PRODUCTION else 0

# E-mail: the console in development unless a server is named; SMTP in production.
EMAIL_SERVER = env_str("EMAIL_HOST", "localhost" if PRODUCTION else "")
_email_use_tls = env_bool("EMAIL_USE_TLS", False)
_email_use_ssl = env_bool("EMAIL_USE_SSL", False)
_email_port = env_int("EMAIL_PORT", 25, minimum=1)  # read even unused: a typo stops start-up
if _email_use_tls and _email_use_ssl:
    raise ImproperlyConfigured(
        "Environment variables EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other."
    )
MAILERS: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_SERVER,
                "port": _email_port,
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": _email_use_tls,
                "use_ssl": _email_use_ssl,
                "timeout": 20,
            },
        }
        if EMAIL_SERVER
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Agora <ne-pas-repondre@localhost>")
# At most this many e-mails handed to the server per second by every worker together
# (agora/core/pace.py); 0: as fast as the server takes them.
EMAIL_MESSAGES_PER_SECOND = env_int("EMAIL_MESSAGES_PER_SECOND", 0, minimum=0)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Text messages (agora/alerts/channels/kannel.py) through a Kannel gateway: its smsbox's
# sendsms address and user, the number messages come from, where Kannel reaches the delivery
# report and inbound views (/passerelles/...; SITE_URL unless Kannel needs an inner address),
# the secret in the inbound sms-service's get-url, and how many messages go out per second.
KANNEL_SENDSMS_URL = env_str("KANNEL_SENDSMS_URL", "http://127.0.0.1:13013/cgi-bin/sendsms")
KANNEL_USERNAME = env_str("KANNEL_USERNAME", "")
KANNEL_PASSWORD = env_str("KANNEL_PASSWORD", "")
KANNEL_INBOUND_SECRET = env_str("KANNEL_INBOUND_SECRET", "")
SMS_SENDER = env_str("SMS_SENDER", "")
SMS_PUBLIC_BASE_URL = env_str("SMS_PUBLIC_BASE_URL", SITE_URL)
SMS_MESSAGES_PER_SECOND = env_int("SMS_MESSAGES_PER_SECOND", 20, minimum=1)
# Which gateway carries the "sms" channel, read at start-up: Kannel (above) or Twilio. Twilio
# (agora/alerts/channels/twilio.py) also places the automated calls of the "voice" channel
# (channels/voice.py): its REST API address (a local fake in the tests), the account's SID
# and auth token (which also signs Twilio's callbacks), the number messages and calls come
# from, the public address Twilio calls back (/passerelles/twilio/...; it must be the one
# Twilio sees, since its signature covers it), and the pace and redials of calls.
SMS_PROVIDER = env_choice("SMS_PROVIDER", "kannel", ("kannel", "twilio"))
TWILIO_API_BASE_URL = env_str("TWILIO_API_BASE_URL", "https://api.twilio.com")
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER", "")
TWILIO_PUBLIC_BASE_URL = env_str("TWILIO_PUBLIC_BASE_URL", SITE_URL)
VOICE_CALLS_PER_SECOND = env_int("VOICE_CALLS_PER_SECOND", 1, minimum=1)
VOICE_RETRY_MINUTES = env_int("VOICE_RETRY_MINUTES", 5, minimum=1)


# Maps (agora/core/maps.py): map images ("tiles") come from a server the city chooses, and are
# asked for only once a visitor opens a map. MAP_TILE_URL set to an empty value turns maps off:
# pages then show only their list or address.
def _map_tile_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in (("https",) if PRODUCTION else ("https", "http")):
        raise ValueError("the address must start with https://")
    if not parts.netloc or "{" in parts.netloc.removeprefix("{s}."):
        raise ValueError("the host name may only start with {s}.")
    if not all(part in value for part in ("{z}", "{x}", "{y}")):
        raise ValueError("the address must hold {z}, {x} and {y}")
    return value


def _map_center(value: str) -> tuple[float, float]:
    latitude, longitude = (float(part) for part in value.split(","))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError("out of range")
    return latitude, longitude


def _map_zoom(value: str) -> int:
    if not 0 <= (zoom := int(value)) <= 19:
        raise ValueError("out of range")
    return zoom


_MAP_TILE_URL_OFF = "MAP_TILE_URL" in os.environ and not os.environ["MAP_TILE_URL"].strip()
MAP_TILE_URL = (
    ""
    if _MAP_TILE_URL_OFF
    else env_parsed(
        "MAP_TILE_URL",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        _map_tile_url,
        "expected https://tiles.example.org/{z}/{x}/{y}.png, or an empty value to turn maps off",
    )
)
# The tile server's origin, for the security policy; a leading {s} (sub-domains) becomes *.
MAP_TILE_ORIGIN = (
    "{0.scheme}://{0.netloc}".format(urlsplit(MAP_TILE_URL)).replace("{s}.", "*.")
    if MAP_TILE_URL
    else ""
)
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
MAP_DEFAULT_CENTER = env_parsed(
    "MAP_DEFAULT_CENTER", "45.389,-73.517", _map_center, "expected latitude,longitude"
)
MAP_DEFAULT_ZOOM = env_parsed("MAP_DEFAULT_ZOOM", "13", _map_zoom, "expected a zoom from 0 to 19")

# Security. Public pages carry a strict policy: nothing from another origin, no inline code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([MAP_TILE_ORIGIN] if MAP_TILE_ORIGIN else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's preview views set SAMEORIGIN for themselves; nothing else is framed.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    # Agora runs behind a reverse proxy that terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Accounts (django-allauth): e-mail as login, verified; a one-time code by e-mail for those
# who forget passwords; one address per account, changed only once the new one is verified.
ACCOUNT_ADAPTER = "agora.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "agora.accounts.forms.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Failed logins: 5 per account every 15 minutes, then a lock-out with a clear message.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/900s/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/180s/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Agora"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account_home"
LOGOUT_REDIRECT_URL = "/"
# Every member of the city's team sets up a second factor (an authenticator app or a security
# key) before reaching /gestion/. Required in production; development may turn it off.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", PRODUCTION)
# Staff sessions end after this much inactivity (residents keep theirs until they log out).
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)

# Wagtail: the staff back-office lives at /gestion/; staff log in through the accounts pages,
# which ask for the second factor.
WAGTAIL_SITE_NAME = "Agora"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Staff uploads are re-encoded without their metadata (GPS, author), like residents' photos.
WAGTAILIMAGES_IMAGE_FORM_BASE = "agora.core.image_forms.MetadataFreeImageForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "jpeg", "webp": "webp", "heic": "jpeg", "avif": "jpeg"}
WAGTAILEMBEDS_FINDERS: list[dict[str, Any]] = []
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: it would receive a hash of each staff member's address on every
# page of /gestion/. Wagtail shows its own default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Logs carry no personal data: no IP addresses, no e-mail addresses, no request bodies.
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.utils.autoreload": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # The PDF renderer and its font library describe every glyph at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
