"""Luodi settings: one module, configured from the environment.

The defaults make a fresh checkout run on SQLite under ``var/``; production sets
``LUODI_SECRET_KEY``, ``DATABASE_URL``, ``LUODI_ALLOWED_HOSTS`` and ``LUODI_DEBUG=0``.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LUODI_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Use LUODI_SECRET_KEY, or a random key kept in the data directory for local runs."""
    if key := os.environ.get("LUODI_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("LUODI_DEBUG", False)
# A deployment serving real people: secure cookies, HSTS and HTTPS redirects, and every key from
# the environment (Luodi refuses to start with a local or default key). ``make run`` leaves it off.
PRODUCTION = _env_bool("LUODI_PRODUCTION", False)
ALLOWED_HOSTS = os.environ.get("LUODI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("LUODI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "luodi.college",
    "luodi.accounts",
    "luodi.jobs",
    "luodi.audit",
    "luodi.regions",
    "luodi.cadres",
    "luodi.faculty",
    "luodi.curriculum",
    "luodi.training",
    "luodi.reports",
    "luodi.checkin",
    "luodi.certificates",
    "luodi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "luodi.audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "luodi.urls"
WSGI_APPLICATION = "luodi.wsgi.application"

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
                "django.template.context_processors.i18n",
                "luodi.accounts.context_processors.access",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'luodi.sqlite3'}",
        conn_max_age=int(os.environ.get("LUODI_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("LUODI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("LUODI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# Key for the keyed digest that makes ID numbers unique and searchable without reading them.
# Changing it requires recomputing every digest (``manage.py rehash_id_numbers`` in a later issue).
LUODI_ID_DIGEST_KEY = os.environ.get("LUODI_ID_DIGEST_KEY", "luodi-id-digest-v1")
LUODI_DEMO_PASSWORD = os.environ.get("LUODI_DEMO_PASSWORD", "luodi-demo")
LUODI_COLLEGE_NAME = os.environ.get("LUODI_COLLEGE_NAME", _("Liaoning Community Cadre College"))
LUODI_PAGE_SIZE = 50

# Training rules a college may change without code (defaults: national cadre-training rules).
# Hours a year each post should attain (national plans: 56 for grassroots party secretaries);
# posts not listed have no target.
_SECRETARY_HOURS = int(os.environ.get("LUODI_ANNUAL_HOURS_TARGET", "56"))
LUODI_ANNUAL_HOURS_TARGETS = {"secretary": _SECRETARY_HOURS, "deputy_secretary": _SECRETARY_HOURS}
LUODI_CHECKIN_OPENS_MINUTES_BEFORE = int(os.environ.get("LUODI_CHECKIN_OPENS_BEFORE", "30"))
LUODI_CHECKIN_CLOSES_MINUTES_AFTER = int(os.environ.get("LUODI_CHECKIN_CLOSES_AFTER", "30"))
LUODI_CHECKIN_TOKEN_SECONDS = int(os.environ.get("LUODI_CHECKIN_TOKEN_SECONDS", "60"))
LUODI_CHECKIN_LATE_AFTER_MINUTES = int(os.environ.get("LUODI_CHECKIN_LATE_AFTER", "5"))
# Where QR codes on certificates and check-in screens point (the address trainees can reach).
LUODI_PUBLIC_URL = os.environ.get("LUODI_PUBLIC_URL", "http://127.0.0.1:8000")

# Background jobs (documents that take more than a moment): Django's tasks API, queued in the
# database and run by ``manage.py db_worker`` (``make run`` starts one beside gunicorn).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How long a prepared document (a class's certificates, its archive) is kept for download.
LUODI_JOB_FILE_RETENTION_HOURS = int(os.environ.get("LUODI_JOB_FILE_RETENTION_HOURS", "72"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LUODI_LOG_LEVEL", "WARNING")},
}

# --- Security: audit log ---
# Every audited event is one append-only row (luodi.audit); ``manage.py purge_audit`` deletes
# rows older than the retention, which is never below 180 days (Cybersecurity Law art. 21).
LUODI_AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("LUODI_AUDIT_RETENTION_DAYS", "180")))
# Model-change history (django-auditlog): who changed which field from what to what. ID and
# phone numbers are recorded masked, passwords and digests not at all. Cadres and users name
# the fields kept, so that a field added later (a digest, a key) is not recorded unawares.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {
        "model": "cadres.Cadre",
        "include_fields": [
            *("name", "gender", "birth_date", "ethnicity", "political_status", "education"),
            *("id_number", "phone", "community", "post", "started_on"),
        ],
        "mask_fields": ["id_number", "phone"],
        "mask_callable": "luodi.audit.masking.mask_number",
    },
    {"model": "training.Enrolment", "exclude_fields": ["updated_at"]},
    {"model": "certificates.Certificate", "exclude_fields": ["updated_at"]},
    {
        "model": "accounts.User",
        "include_fields": [
            *("username", "first_name", "last_name", "email", "is_active", "is_staff"),
            *("is_superuser", "role", "city", "cadre", "teacher"),
        ],
        "m2m_fields": ["groups", "user_permissions"],
    },
)
AUDITLOG_DISABLE_REMOTE_ADDR = False
