"""Django settings. Everything a deployment changes comes from the environment:

- ``DATABASE_URL``: the database (default: SQLite file ``trellis.sqlite3`` in the working directory);
- ``TRELLIS_SECRET_KEY``: the signing key (default: generated once into ``trellis-secret.key``
  beside the default database);
- ``TRELLIS_DEBUG``: ``1`` for debug pages;
- ``TRELLIS_ALLOWED_HOSTS``: comma-separated host names (default: local addresses only).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from trellis.lib import clock

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TRELLIS_DATA_DIR", Path.cwd()))
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'trellis.sqlite3'}"


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

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("TRELLIS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "trellis.web.accounts",
    "trellis.web.ladders",
    "trellis.web.org",
    "trellis.web.health",
    "trellis.web.growth",
    "trellis.web.promotions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "trellis.web.middleware.SignInRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "trellis.web.promotions.middleware.ApplyDueProposals",
]

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
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))}
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
