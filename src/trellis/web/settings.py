"""Django settings. Everything a deployment changes comes from the environment:

- ``DATABASE_URL``: the database (default: SQLite file ``trellis.sqlite3`` in the working directory);
- ``TRELLIS_SECRET_KEY``: the signing key (default: generated once into ``trellis-secret.key``
  beside the default database);
- ``TRELLIS_DEBUG``: ``1`` for debug pages;
- ``TRELLIS_ALLOWED_HOSTS``: comma-separated host names (default: local addresses only).

docs/deploy.md documents every setting read here, with a production example.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from trellis.lib import clock

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TRELLIS_DATA_DIR", Path.cwd()))
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'trellis.sqlite3'}"
# Where `trellis serve` keeps each instance's control socket, process id and temporary files
# (uploads being read, worker heartbeats): RUN_DIR/HOST-PORT, readable by the server's user only.
RUN_DIR = Path(os.environ.get("TRELLIS_RUN_DIR") or DATA_DIR / "run")


def _secret_key() -> str:
    if key := os.environ.get("TRELLIS_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "trellis-secret.key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        try:
            key_file.write_text(key)
            key_file.chmod(0o600)
        except OSError:
            pass  # A read-only working directory still gets a working (per-process) key.
        return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("TRELLIS_DEBUG", "") == "1"


def _mass_leave_share() -> float:
    from django.core.exceptions import ImproperlyConfigured

    from trellis.org.plan import DEFAULT_MASS_LEAVE_SHARE, parse_share

    text = os.environ.get("TRELLIS_MASS_LEAVE_SHARE", "")
    try:
        return parse_share(text) if text.strip() else DEFAULT_MASS_LEAVE_SHARE
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRELLIS_MASS_LEAVE_SHARE: {exc}") from exc


# An import may mark at most this share of the organisation as left unless it is confirmed.
TRELLIS_MASS_LEAVE_SHARE = _mass_leave_share()


def _positive(name: str, default: float) -> float:
    from django.core.exceptions import ImproperlyConfigured

    text = os.environ.get(name, "").strip()
    try:
        value = float(text) if text else default
    except ValueError:
        value = -1
    if not value > 0:
        raise ImproperlyConfigured(f"{name}: '{text}' is not a positive number")
    return value


# The largest organisation file the web accepts, in megabytes: 100 MB holds 200,000 people with
# a dozen HR columns each. A larger upload is refused before it is read.
TRELLIS_MAX_UPLOAD_MB = _positive("TRELLIS_MAX_UPLOAD_MB", 100)
# How long an uploaded file waits for its confirmation before it is removed.
TRELLIS_PENDING_UPLOAD_HOURS = _positive("TRELLIS_PENDING_UPLOAD_HOURS", 24)
# SQLite: how long a write waits for another (an import) to finish before giving up.
TRELLIS_SQLITE_BUSY_SECONDS = _positive("TRELLIS_SQLITE_BUSY_SECONDS", 60)


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _flag(name: str, default: bool) -> bool:
    text = os.environ.get(name, "").strip().lower()
    return default if not text else text in ("1", "true", "yes", "on")


ALLOWED_HOSTS = _list(os.environ.get("TRELLIS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]"))
# The origins (scheme and host) browsers post forms from, e.g. ``https://trellis.example.org``.
CSRF_TRUSTED_ORIGINS = _list(os.environ.get("TRELLIS_CSRF_TRUSTED_ORIGINS", ""))

# Behind HTTPS: secure cookies, redirect plain HTTP, and HSTS so browsers never try plain HTTP again.
HTTPS = _flag("TRELLIS_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("TRELLIS_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("TRELLIS_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = _flag("TRELLIS_HSTS_PRELOAD", HTTPS)
# The header a TLS-terminating proxy sets, e.g. ``X-Forwarded-Proto``; its value must be ``https``.
# Only set it when the proxy always overwrites that header: a client could otherwise claim HTTPS.
if _proxy_header := os.environ.get("TRELLIS_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
# How many proxies append to X-Forwarded-For in front of Trellis: the client's address is the one
# the outermost of them saw (sign-in throttling counts failures per address). 0: the direct peer.
PROXY_COUNT = int(os.environ.get("TRELLIS_PROXY_COUNT", "0"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # Swagger UI for /api/docs from the installed package, never a CDN
    "axes",
    "trellis.web.accounts",
    "trellis.web.ladders",
    "trellis.web.org",
    "trellis.web.health",
    "trellis.web.growth",
    "trellis.web.promotions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "trellis.web.api_errors.ApiErrorsAsProblems",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "trellis.web.middleware.SignInRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "trellis.web.accounts.sso.PolicyWithIdentityProvider",  # django-csp's, plus the provider's sign-out
    "django_htmx.middleware.HtmxMiddleware",
    "trellis.web.promotions.middleware.ApplyDueProposals",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: a locked-out account or address is refused before any password is hashed,
# so a burst of wrong passwords costs the server almost nothing.
AUTHENTICATION_BACKENDS = [
    "trellis.web.accounts.throttling.SignInThrottle",
    "trellis.web.accounts.passwords.LocalPasswords",
    "trellis.web.accounts.sso.PersonFromIdentityProvider",
]

# Single sign-on with the company's OpenID Connect identity provider (mozilla-django-oidc), on
# when TRELLIS_OIDC_CLIENT_ID is set. People are matched to their person by e-mail; the
# identity provider's groups claim can make them HR or admin (docs/deploy.md).
OIDC_RP_CLIENT_ID = os.environ.get("TRELLIS_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("TRELLIS_OIDC_CLIENT_SECRET", "")
# The provider's issuer: its endpoints are read from ISSUER/.well-known/openid-configuration
# (trellis.web.accounts.discovery). An endpoint set below overrides what that document says.
OIDC_OP_ISSUER = os.environ.get("TRELLIS_OIDC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("TRELLIS_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("TRELLIS_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("TRELLIS_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("TRELLIS_OIDC_JWKS_ENDPOINT", "")
OIDC_OP_END_SESSION_ENDPOINT = os.environ.get("TRELLIS_OIDC_END_SESSION_ENDPOINT", "")
# Signing out of Trellis signs out of the identity provider too: the ID token is kept in the
# session to name the sign-in being ended (trellis.web.accounts.sso.provider_sign_out_url).
OIDC_STORE_ID_TOKEN = True
OIDC_OP_LOGOUT_URL_METHOD = "trellis.web.accounts.sso.provider_sign_out_url"
OIDC_RP_SIGN_ALGO = os.environ.get("TRELLIS_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("TRELLIS_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
TRELLIS_SSO_NAME = os.environ.get("TRELLIS_OIDC_PROVIDER_NAME", "your company account")
TRELLIS_SSO_GROUPS_CLAIM = os.environ.get("TRELLIS_OIDC_GROUPS_CLAIM", "groups")
TRELLIS_SSO_ADMIN_GROUPS = _list(os.environ.get("TRELLIS_OIDC_ADMIN_GROUPS", ""))
TRELLIS_SSO_HR_GROUPS = _list(os.environ.get("TRELLIS_OIDC_HR_GROUPS", ""))
# Local passwords suit small installations; with SSO a company usually turns them off.
TRELLIS_PASSWORD_SIGN_IN = _flag("TRELLIS_PASSWORD_SIGN_IN", True)

ROOT_URLCONF = "trellis.web.urls"
WSGI_APPLICATION = "trellis.web.wsgi.application"

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
                "trellis.web.accounts.roles.context",
                "trellis.web.dates.context",
            ],
            "builtins": ["trellis.web.dates"],
        },
    },
]

# Connections are kept between requests (each thread its own, checked before reuse): opening one
# costs more than a page served from what is kept (SQLite reads the whole schema, PostgreSQL starts
# a backend), and every signed-in request reads its session from the database.
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
                                              conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # Sign-ins and edits wait for a running import's writes instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"]["timeout"] = TRELLIS_SQLITE_BUSY_SECONDS

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The deployment's time zone: what "today" is for the web, the API and the command line alike.
TIME_ZONE = os.environ.get("TRELLIS_TIME_ZONE", "UTC")
clock.set_zone(TIME_ZONE)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Only needed for `trellis manage collectstatic` behind another web server.
STATIC_ROOT = os.environ.get("TRELLIS_STATIC_ROOT") or None
# Serve straight from the installed packages: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content security policy (django-csp): scripts, styles, images and connections from this site
# only; no inline script, no third-party origin. Pages keep their behaviour in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Sign-in throttling (django-axes): after TRELLIS_SIGN_IN_FAILURES failed sign-ins for one account,
# or TRELLIS_SIGN_IN_ADDRESS_FAILURES from one address (higher: an office shares one address),
# further attempts are refused for TRELLIS_SIGN_IN_LOCKOUT_MINUTES.
# `trellis manage axes_reset_username NAME` / `axes_reset_ip ADDRESS` / `axes_reset` lift it.
AXES_HANDLER = "trellis.web.accounts.throttling.AccountAndAddressLimits"
AXES_FAILURE_LIMIT = int(_positive("TRELLIS_SIGN_IN_FAILURES", 5))
TRELLIS_SIGN_IN_ADDRESS_FAILURES = int(_positive("TRELLIS_SIGN_IN_ADDRESS_FAILURES", 50))
AXES_COOLOFF_TIME = timedelta(minutes=_positive("TRELLIS_SIGN_IN_LOCKOUT_MINUTES", 15))
# The order matters: AccountAndAddressLimits reads the account's count first, then the address's.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "trellis.web.accounts.throttling.client_address"
AXES_VERBOSE = False

# Errors are logged with their traceback on standard error; with TRELLIS_ADMINS set they are
# also mailed (TRELLIS_EMAIL_* below). Without this Django logs a failing request only when DEBUG.
ADMINS = [("", address) for address in _list(os.environ.get("TRELLIS_ADMINS", ""))]
SERVER_EMAIL = DEFAULT_FROM_EMAIL = os.environ.get("TRELLIS_EMAIL_FROM", "trellis@localhost")
EMAIL_HOST = os.environ.get("TRELLIS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TRELLIS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TRELLIS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TRELLIS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _flag("TRELLIS_EMAIL_TLS", False)
EMAIL_SUBJECT_PREFIX = "[Trellis] "
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "filters": {"production": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["production"]},
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("TRELLIS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["stderr", "mail_admins"], "level": "WARNING", "propagate": False},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
