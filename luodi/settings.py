"""Luodi settings: one module, configured from the environment.

The defaults make a fresh checkout run on SQLite under ``var/``; production sets
``LUODI_SECRET_KEY``, ``DATABASE_URL``, ``LUODI_ALLOWED_HOSTS`` and ``LUODI_DEBUG=0``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
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
    if _env_bool("LUODI_PRODUCTION", False):
        # A key made on the spot would differ per host and vanish with the data directory.
        raise ImproperlyConfigured("LUODI_PRODUCTION=1 needs LUODI_SECRET_KEY (50+ random chars).")
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
    "csp",
    "luodi.accounts.apps.LockoutConfig",  # django-axes
    "django_otp",
    "luodi.accounts.apps.SecondFactorDevicesConfig",  # django_otp.plugins.otp_totp
    "luodi.audit.apps.FieldHistoryConfig",  # django-auditlog, named for the admin
    "luodi.college",
    "luodi.accounts",
    "luodi.jobs",
    "luodi.audit",
    "luodi.notifications",
    "luodi.regions",
    "luodi.cadres",
    "luodi.faculty",
    "luodi.curriculum",
    "luodi.training",
    "luodi.reports",
    "luodi.checkin",
    "luodi.imports",
    "luodi.surveys",
    "luodi.needs",
    "luodi.research",
    "luodi.certificates",
    "luodi.assessments",
    "luodi.timetabling",
    "luodi.demo",
]

MIDDLEWARE = [
    "luodi.lib.headers.RefuseTraceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # after WhiteNoise: static files stay cacheable; every other answer is private by default
    "luodi.lib.headers.PrivateByDefaultMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "luodi.audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Security: authentication (see the block at the end of this module).
    "django_otp.middleware.OTPMiddleware",
    "luodi.accounts.middleware.SessionLifetimeMiddleware",
    "luodi.accounts.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "luodi.college.context_processors.college",
                "luodi.notifications.context_processors.unread",
            ],
            "libraries": {"formats": "luodi.lib.template_formats"},
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
# A read replica for reports (PostgreSQL streaming replication): the statistics, dashboard and
# report documents read from it (``luodi.lib.replica``); every write goes to the primary.
if replica_url := os.environ.get("LUODI_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
DATABASE_ROUTERS = ["luodi.lib.replica.ReportsRouter"]
# The alias the reports read from: the replica when there is one.
LUODI_REPORTS_DATABASE = "replica" if "replica" in DATABASES else "default"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
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
# Uploaded files and prepared documents in an S3-compatible object store (AWS S3, MinIO, Ceph,
# Aliyun OSS, Tencent COS) instead of MEDIA_ROOT, so that app servers and workers on several
# machines share them without a shared volume. They are always served through Luodi's views
# (access checked, logged), never by a public bucket URL.
if bucket := os.environ.get("LUODI_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("LUODI_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("LUODI_S3_REGION") or None,
            # Without them boto3 finds credentials its own way (AWS_* variables, an IAM role).
            "access_key": os.environ.get("LUODI_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("LUODI_S3_SECRET_KEY") or None,
            "location": os.environ.get("LUODI_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            # Names are random (``lib.uploads.RandomPath``); a clash gets a new name, not a loss.
            "file_overwrite": False,
        },
    }

# Idle timeout: a logged-in user's requests push it on, at most once a minute
# (luodi.accounts.sessions.keep_alive), so a page costs no session write.
SESSION_COOKIE_AGE = 30 * 60
LUODI_SESSION_RENEW_SECONDS = int(os.environ.get("LUODI_SESSION_RENEW_SECONDS", "60"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("LUODI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

LUODI_DEMO_PASSWORD = os.environ.get("LUODI_DEMO_PASSWORD", "luodi-demo")
LUODI_COLLEGE_NAME = os.environ.get("LUODI_COLLEGE_NAME", _("Liaoning Community Cadre College"))
LUODI_PAGE_SIZE = 50
# The first part of every certificate number, unless the college settings give another.
LUODI_CERTIFICATE_PREFIX = "LN"

# Training rules a college may change without code (defaults: national cadre-training rules).
# Hours a year each post should attain (national plans: 56 for grassroots party secretaries);
# posts not listed have no target.
_SECRETARY_HOURS = int(os.environ.get("LUODI_ANNUAL_HOURS_TARGET", "56"))
LUODI_ANNUAL_HOURS_TARGETS = {"secretary": _SECRETARY_HOURS, "deputy_secretary": _SECRETARY_HOURS}
# Over the last five years (this year and the four before): by default five times the yearly
# target; the archive shows the five years' hours against it.
_FIVE_YEAR_HOURS = int(os.environ.get("LUODI_FIVE_YEAR_HOURS_TARGET", str(5 * _SECRETARY_HOURS)))
LUODI_FIVE_YEAR_HOURS_TARGETS = {
    "secretary": _FIVE_YEAR_HOURS,
    "deputy_secretary": _FIVE_YEAR_HOURS,
}
# Statistics: coverage counts a community's secretary trained in the last N years; a new
# secretary is to be trained within this many days (half a year) of taking up the post.
LUODI_COVERAGE_YEARS = int(os.environ.get("LUODI_COVERAGE_YEARS", "5"))
# Figures are cached per version of the records (luodi/lib/data_version.py); after a change a
# background task computes the dashboard's and the API's most asked-for figures again.
LUODI_WARM_FIGURES = _env_bool("LUODI_WARM_FIGURES", True)
LUODI_NEW_SECRETARY_DAYS = int(os.environ.get("LUODI_NEW_SECRETARY_DAYS", "183"))
LUODI_CHECKIN_OPENS_MINUTES_BEFORE = int(os.environ.get("LUODI_CHECKIN_OPENS_BEFORE", "30"))
LUODI_CHECKIN_CLOSES_MINUTES_AFTER = int(os.environ.get("LUODI_CHECKIN_CLOSES_AFTER", "30"))
LUODI_CHECKIN_TOKEN_SECONDS = int(os.environ.get("LUODI_CHECKIN_TOKEN_SECONDS", "60"))
LUODI_CHECKIN_LATE_AFTER_MINUTES = int(os.environ.get("LUODI_CHECKIN_LATE_AFTER", "5"))
# A code scanned before logging in still counts, at the time of the scan, if the trainee has
# logged in (even for the first time, with a texted code) within this many minutes.
LUODI_CHECKIN_SCAN_GRACE_MINUTES = int(os.environ.get("LUODI_CHECKIN_SCAN_GRACE", "15"))
# A trainee's first login: a one-time code texted to their mobile number (checkin.first_login).
LUODI_LOGIN_CODE_MINUTES = int(os.environ.get("LUODI_LOGIN_CODE_MINUTES", "10"))
LUODI_LOGIN_CODES_PER_DAY = int(os.environ.get("LUODI_LOGIN_CODES_PER_DAY", "10"))
# Per client address: a classroom behind one NAT address activates together, so this is high.
LUODI_LOGIN_CODES_PER_IP_HOUR = int(os.environ.get("LUODI_LOGIN_CODES_PER_IP_HOUR", "300"))
# A reflection's shortest length in characters, spaces not counted (colleges ask "不少于300字").
# How long a passed political review of a teacher holds (years); see faculty.PoliticalReview.
LUODI_REVIEW_VALID_YEARS = int(os.environ.get("LUODI_REVIEW_VALID_YEARS", "3"))
LUODI_REFLECTION_MIN_LENGTH = int(os.environ.get("LUODI_REFLECTION_MIN_LENGTH", "300"))
# Surveys: the satisfaction line below which a session or class evaluation is flagged to the
# academic staff (percent of the highest score), and the fewest responses a group of results
# is shown for (fewer would let a reader guess who answered what).
LUODI_SATISFACTION_LINE = int(os.environ.get("LUODI_SATISFACTION_LINE", "85"))
LUODI_SURVEY_MIN_RESPONSES = max(2, int(os.environ.get("LUODI_SURVEY_MIN_RESPONSES", "2")))
# Planning warns (asks to confirm) a class longer than this many days or with more places.
LUODI_PLAN_WARN_DAYS = int(os.environ.get("LUODI_PLAN_WARN_DAYS", "30"))
# Automatic timetabling: seconds the solver may take for one class and for a term of classes
# solved together (the soft rules' weights are the college's: its settings page).
LUODI_TIMETABLE_SECONDS = (10.0, 50.0)
LUODI_PLAN_WARN_CAPACITY = int(os.environ.get("LUODI_PLAN_WARN_CAPACITY", "300"))
# Where QR codes on certificates and check-in screens point (the address trainees can reach).
LUODI_PUBLIC_URL = os.environ.get("LUODI_PUBLIC_URL", "http://127.0.0.1:8000")

# Background jobs (documents that take more than a moment): Django's tasks API, queued in the
# database and run by ``manage.py db_worker`` (``make run`` starts one beside gunicorn).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How long a prepared document (a class's certificates, its archive) is kept for download.
LUODI_JOB_FILE_RETENTION_HOURS = int(os.environ.get("LUODI_JOB_FILE_RETENTION_HOURS", "72"))

# The message gateway for one-time codes and notices (``luodi/lib/messaging.py``): by default
# texts go to a file (and the log), never off the machine; an SMS provider is a backend class.
LUODI_MESSAGE_BACKEND = os.environ.get("LUODI_MESSAGE_BACKEND", "luodi.lib.messaging.FileBackend")
LUODI_MESSAGE_FILE = Path(os.environ.get("LUODI_MESSAGE_FILE", DATA_DIR / "outbox.jsonl"))
# Notifications (``luodi/notifications``) are also texted to the person's mobile through that
# gateway; LUODI_NOTIFY_BY_TEXT=0 keeps them in the app only.
LUODI_NOTIFY_BY_TEXT = _env_bool("LUODI_NOTIFY_BY_TEXT", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LUODI_LOG_LEVEL", "WARNING")},
}

# --- Security: personal data at rest ---
# Files Luodi creates (SQLite database, uploads, prepared documents, keys, backups) are readable
# by its own user only: 0600 files in 0700 directories.
os.umask(0o077)
DATA_DIR.chmod(0o700)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700


def _local_key(env: str, filename: str, make) -> str:
    """The key in the environment variable ``env``; for local runs (not ``PRODUCTION``), a
    random key made once into the data directory (mode 0600). Production refuses to start
    without the environment variable: a key beside the database protects nothing."""
    if key := os.environ.get(env, "").strip():
        return key
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"{env} is not set. Production keeps its keys in the environment, away from the "
            "database (see docs/security.md)."
        )
    path = DATA_DIR / filename
    if not path.exists():
        # Written aside, then linked into place: a second process starting at the same
        # moment reads the first one's key, never a half-written file.
        spare = path.with_name(f".{filename}.{os.getpid()}")
        spare.write_text(make())
        spare.chmod(0o600)
        try:
            os.link(spare, path)
        except FileExistsError:
            pass
        finally:
            spare.unlink()
    return path.read_text().strip()


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


# Keys that encrypt ID and phone numbers (comma-separated Fernet keys): the first encrypts,
# all decrypt. To rotate, put a new key first, then run ``manage.py rotate_field_keys``.
# Without them the encrypted columns are unreadable: keep them (and back them up) apart from
# the database.
LUODI_FIELD_KEYS = [
    k.strip()
    for k in _local_key("LUODI_FIELD_KEYS", "field_keys", _fernet_key).split(",")
    if k.strip()
]
# Key for the keyed digests that make ID numbers unique and ID and phone numbers searchable
# without reading them. Changing it requires ``manage.py rehash_id_numbers``.
LUODI_ID_DIGEST_KEY = _local_key(
    "LUODI_ID_DIGEST_KEY", "id_digest_key", lambda: secrets.token_urlsafe(32)
)

# --- Security: backups ---
# Where ``manage.py backup`` writes its archives unless given --to; copy them off this machine.
LUODI_BACKUP_DIR = Path(os.environ.get("LUODI_BACKUP_DIR", DATA_DIR / "backups"))
# The folder holding pg_dump and pg_restore; empty: the client matching the server's version
# under /usr/lib/postgresql/*/bin, else the one on PATH.
LUODI_PG_BIN_DIR = os.environ.get("LUODI_PG_BIN_DIR", "")

# --- Security: headers, deployment, uploads and public endpoints (issue 7) ---
# Everything is served from Luodi itself (no CDN): scripts and styles only from files, never
# inline, so an injected <script> or style attribute does nothing. Images may be data: URIs
# (QR codes). Django 5.2 has no CSP of its own; django-csp sends it.
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
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# No page uses the camera (trainees scan with their phone's camera app), the microphone,
# location, payment or USB.
LUODI_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind nginx, which terminates TLS: the header nginx sets to the request's scheme
# (``proxy_set_header X-Forwarded-Proto $scheme;`` -> LUODI_PROXY_SSL_HEADER=X-Forwarded-Proto).
# Set it only when the proxy always overwrites it, or clients could forge it. The client's
# address comes from X-Forwarded-For behind LUODI_PROXY_COUNT proxies (below, luodi.lib.client_ip).
if _ssl_header := os.environ.get("LUODI_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _ssl_header.upper().replace("-", "_"), "https")
if PRODUCTION:  # (and LUODI_SECRET_KEY is required: see _secret_key)
    SECURE_HSTS_SECONDS = int(os.environ.get("LUODI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _env_bool("LUODI_HSTS_PRELOAD", True)
    SECURE_SSL_REDIRECT = _env_bool("LUODI_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True

# Uploads (courseware and any later file): checked by content in luodi/lib/uploads.py.
LUODI_UPLOAD_MAX_MB = int(os.environ.get("LUODI_UPLOAD_MAX_MB", "50"))
# Excel/CSV imports (luodi/imports): the largest file and the most rows one import takes.
LUODI_IMPORT_MAX_MB = int(os.environ.get("LUODI_IMPORT_MAX_MB", "50"))
LUODI_IMPORT_MAX_ROWS = int(os.environ.get("LUODI_IMPORT_MAX_ROWS", "200000"))

# The public verification pages: requests per client address per minute. The counter lives in
# a database cache so that every gunicorn worker shares it (its table is made by ``migrate``:
# certificates/migrations/0004_shared_cache_table.py).
LUODI_VERIFY_RATE = int(os.environ.get("LUODI_VERIFY_RATE", "30"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "luodi_shared_cache",
        # The figures cache (luodi/lib/data_version.py) keeps a few hundred entries per data
        # version, each a few kB; past this many, expired entries go first, then a third.
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}

# --- Security: authentication (lockout, passwords, sessions, second factor) ---
# See docs/security.md for what each guarantees and how it is tested.

# Lockout (django-axes). Its backend comes first: it refuses a locked-out login before the
# password backend runs, so an attempt while locked costs no password hash (the CPU an attacker
# could otherwise spend at will). Every path that calls ``authenticate(request=...)`` -- the
# login page, the admin's login, any later one -- is covered.
AUTHENTICATION_BACKENDS = [
    "luodi.accounts.lockout.LockoutBackend",
    # Passwords, with the account found by username, ID number or mobile number.
    "luodi.accounts.identifiers.IdentifierBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LUODI_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LUODI_LOCKOUT_MINUTES", "10")))
# Per username AND per IP address: either reaching the limit locks. A classroom behind one NAT
# address shares the per-IP counter, so a college may turn it off (LUODI_LOCKOUT_BY_IP=0).
LUODI_LOCKOUT_BY_IP = _env_bool("LUODI_LOCKOUT_BY_IP", True)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"] if LUODI_LOCKOUT_BY_IP else ["username"]
# A success does not wipe the failures: axes would delete every counter of the successful
# request's username AND IP address, so an attacker holding any account could clear the per-IP
# counter, and the counters of the victims guessed from that address, by logging in as
# themselves between guesses. Failures expire with the cool-off window instead.
AXES_RESET_ON_SUCCESS = False
# Attempts during a lockout are refused without being counted: the lock ends at the time the
# lockout page states, and a flood of refused attempts writes nothing to the counters.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "luodi.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# The audit log is the one record of logins (append-only, kept and purged by its own rules);
# axes keeps only its failure counters (AccessAttempt), which administrators see and delete
# (= unlock) in the admin (Axes → Access attempts).
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
# The client's address: REMOTE_ADDR, or behind reverse proxies (nginx: LUODI_PROXY_COUNT=1) the
# address the first proxy saw, read from the right of X-Forwarded-For so a client cannot forge
# it. Without it, behind nginx every client looks like 127.0.0.1 and shares one per-IP counter.
LUODI_PROXY_COUNT = int(os.environ.get("LUODI_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "luodi.lib.client_ip.client_ip"
# Failures count per account whichever identifier was typed, and a typed ID or phone number
# that names no account is kept as a digest: the counters never hold a full number.
AXES_USERNAME_CALLABLE = "luodi.accounts.identifiers.axes_username"

# Passwords: the validators above (length >= 10, not common, not like the user's names, not all
# digits); MLPS-style character classes (3 of upper, lower, digit, symbol) on request.
if _env_bool("LUODI_PASSWORD_CHARACTER_CLASSES", False):
    AUTH_PASSWORD_VALIDATORS.append({"NAME": "luodi.accounts.passwords.CharacterClassesValidator"})

# Sessions end after SESSION_COOKIE_AGE idle (above) and, however active, this many hours after
# logging in.
LUODI_SESSION_MAX_HOURS = float(os.environ.get("LUODI_SESSION_MAX_HOURS", "12"))
# A trainee-only account that logs in during (or just before) one of its classes stays signed in
# on that phone until the end of the class's last day, at most this many days (docs/security.md).
LUODI_TRAINEE_SESSION_MAX_DAYS = int(os.environ.get("LUODI_TRAINEE_SESSION_MAX_DAYS", "31"))
# How many days before a class starts a trainee's login already lasts to its end.
LUODI_TRAINEE_SESSION_LEAD_DAYS = int(os.environ.get("LUODI_TRAINEE_SESSION_LEAD_DAYS", "3"))

# Second factor (TOTP, django-otp): administrators and staff who enrolled a device enter a code
# after their password; with LUODI_REQUIRE_2FA=1 they must enrol before reaching any page.
LUODI_REQUIRE_2FA = _env_bool("LUODI_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Luodi"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # a device's secret is shown once, to its owner only
# --- Security: API tokens ---
# A token's lifetime when its owner does not choose one, and the longest they may choose (days).
LUODI_API_TOKEN_DEFAULT_DAYS = int(os.environ.get("LUODI_API_TOKEN_DEFAULT_DAYS", "90"))
LUODI_API_TOKEN_MAX_DAYS = int(os.environ.get("LUODI_API_TOKEN_MAX_DAYS", "365"))
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
