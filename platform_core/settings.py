"""Comptoir settings: every value is read from the environment here, and only here.

Development defaults are safe: debug on, mail to a local outbox, embedded PostgreSQL
and Redis when no URL is given. ``COMPTOIR_ENV=production`` turns on the hardening that
``manage.py check --deploy`` expects and refuses to start without a real secret key.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from platform_core import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

ENVIRONMENT = env.str("COMPTOIR_ENV", default="development")
IS_PRODUCTION = ENVIRONMENT == "production"
DEBUG = env.bool("DEBUG", default=not IS_PRODUCTION)
TESTING = env.bool("COMPTOIR_TESTING", default=False)

if IS_PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")

# The platform's own host: it serves the landing page and the operators' console, and
# every tenant gets `<slug>.<PLATFORM_DOMAIN>` besides its custom domains.
PLATFORM_DOMAIN = env.str("PLATFORM_DOMAIN", default="localhost")
PLATFORM_NAME = env.str("PLATFORM_NAME", default="Comptoir")
# Hosts are validated against the tenants' domain table by the tenant middleware, which
# answers an unknown host with a branded 404; Django's own list only has to admit them.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "shared_apps.accounts",
    "shared_apps.operators",
    "shared_apps.privacy",
    "shared_apps.account_security",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_email",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "shared_apps.mfa",
    "shared_apps.account_sessions",
    "django_htmx",
    # Installed for its translated country names (its catalogues load only for installed apps).
    "django_countries",
    "rest_framework",
    # Only because dj-rest-auth imports its model; API tokens are shared_apps.api.ApiToken.
    "rest_framework.authtoken",
    "dj_rest_auth",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "shared_apps.audit",
    "shared_apps.access",
    "shared_apps.api",
    "shared_apps.billing",
    "shared_apps.finance",
    "django_filters",
    "imagekit",
    "themes",
    "platform_core",
]
TENANT_APPS = [
    "tenant_apps.notifications",
    "tenant_apps.directory",
    "tenant_apps.verification",
    "tenant_apps.catalogue",
    "tenant_apps.analytics",
    "tenant_apps.inquiries",
    "tenant_apps.promotion",
    "tenant_apps.home",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "platform_core.urls_public"
ROOT_URLCONF = "platform_core.urls_tenant"
# Spare schemas a new tenant takes over; refilled in the background after each take.
TENANT_SPARE_POOL_SIZE = env.int("TENANT_SPARE_POOL_SIZE", default=2)
TENANT_EXPORT_DIR = Path(env.str("TENANT_EXPORT_DIR", default=str(embedded.DATA_DIR / "exports")))

MIDDLEWARE = [
    "platform_core.middleware.RequestContextMiddleware",
    # Before the tenant router, so that its own pages (unknown host, maintenance) get them too.
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "tenants.middleware.TenantMiddleware",
    # After the tenant is known: each tenant lists the origins allowed to call its API.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shared_apps.accounts.middleware.HostBoundSessionMiddleware",
    "tenants.middleware.TenantLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shared_apps.accounts.middleware.MembershipMiddleware",
    "platform_core.middleware.UserContextMiddleware",
    "shared_apps.audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shared_apps.account_sessions.middleware.AccountSessionMiddleware",
    "shared_apps.mfa.middleware.MfaEnforcementMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shared_apps.privacy.middleware.ConsentMiddleware",
    "shared_apps.account_security.middleware.KnownDeviceCookieMiddleware",
    # Last, so it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "loaders": [
                (
                    "django_tenants.template.loaders.cached.Loader",
                    ["themes.loaders.ThemeLoader", "django.template.loaders.app_directories.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "themes.context_processors.theme",
                "tenant_apps.notifications.context_processors.unread_notifications",
                "shared_apps.privacy.context_processors.consent",
            ],
        },
    }
]

WSGI_APPLICATION = "platform_core.wsgi.application"
ASGI_APPLICATION = "platform_core.asgi.application"

# --- Databases -----------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default="")
if not DATABASE_URL and env.bool("COMPTOIR_PREFER_LOCAL_SERVICES", default=False):
    DATABASE_URL = embedded.local_database_url() or ""
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
else:
    DATABASES = {"default": embedded.embedded_database_settings()}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiles a query's expressions once its estimated cost is high: a search
# over a million products then spends longer compiling (30-80 ms) than running. Off for the
# platform's short queries. Behind PgBouncer, which refuses start-up options, set
# DATABASE_JIT=true and turn it off on the server instead (ALTER ROLE ... SET jit = off).
if not env.bool("DATABASE_JIT", default=False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# Set search_path once per schema change rather than before every query (half the round
# trips). Behind PgBouncer in transaction mode, turn this off: each transaction may land
# on another server connection and must set its own search_path.
TENANT_LIMIT_SET_CALLS = env.bool("TENANT_LIMIT_SET_CALLS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ----------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if not REDIS_URL and env.bool("COMPTOIR_PREFER_LOCAL_SERVICES", default=False):
    # The test suite keeps to its own database number: it empties its cache between tests.
    REDIS_URL = embedded.local_redis_url(db=1 if TESTING else 0) or ""
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }
# redis-py reads unix:// sockets (the embedded Redis); kombu spells the same redis+socket://.
_DEFAULT_BROKER = REDIS_URL.replace("unix://", "redis+socket://", 1) if REDIS_URL else "memory://"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=_DEFAULT_BROKER)
CELERY_RESULT_BACKEND = None
# Without a broker, tasks run in the calling process so a bare `manage.py` still works.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "comptoir"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "refill-spare-tenant-pool": {"task": "tenants.refill_spare_pool", "schedule": 300.0},
    "send-daily-digests": {"task": "notifications.send_daily_digests_all_tenants", "schedule": 3600.0},
    "purge-personal-data": {"task": "privacy.purge_all_tenants", "schedule": 6 * 3600.0},
    "evaluate-activity-rules": {"task": "access.evaluate_activity_rules_all_tenants", "schedule": 3600.0},
    "tidy-expired-grants": {"task": "access.tidy_expired_grants", "schedule": 3600.0},
    "purge-expired-audit-events": {"task": "audit.purge_expired_events", "schedule": 24 * 3600.0},
    "verification-expiries": {"task": "verification.process_expiries_all_tenants", "schedule": 6 * 3600.0},
    "billing-renewals-and-dunning": {"task": "billing.run_dunning_all_tenants", "schedule": 3600.0},
    "promotion-tick": {"task": "promotion.tick_all_tenants", "schedule": 60.0},
    "refresh-analytics-rollups": {"task": "analytics.refresh_rollups_all_tenants",
                                  "schedule": float(env.int("ANALYTICS_ROLLUP_SECONDS", default=60))},
    "send-monthly-activity-reports": {"task": "analytics.send_monthly_reports_all_tenants",
                                      "schedule": crontab(day_of_month="1", hour=str(env.int("ANALYTICS_REPORT_HOUR", default=6)),
                                                          minute="0")},
}
# Hour (in TIME_ZONE) from which the daily notification digest goes out; beat checks hourly.
NOTIFICATION_DIGEST_HOUR = env.int("NOTIFICATION_DIGEST_HOUR", default=7)
# E-mail campaigns leave in batches of this many mails, one batch per interval (seconds):
# together they are each campaign's sending rate (default 100 a minute), however many workers run.
PROMOTION_CAMPAIGN_BATCH_SIZE = env.int("PROMOTION_CAMPAIGN_BATCH_SIZE", default=100)
PROMOTION_CAMPAIGN_BATCH_INTERVAL = env.int("PROMOTION_CAMPAIGN_BATCH_INTERVAL", default=60)

# --- Identity -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home:dashboard"
LOGOUT_REDIRECT_URL = "home:index"
# CNIL deliberation 2022-100: 12 characters or more with enough variety (about 80 bits),
# or a long passphrase; checked against breached passwords; never a forced periodic change.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "shared_apps.account_security.passwords.VarietyValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "shared_apps.account_security.passwords.BreachedPasswordValidator"},
    {"NAME": "shared_apps.account_security.passwords.PwnedPasswordsRangeValidator"},
]
# Off by default: the k-anonymity range API of Have I Been Pwned is the only network call
# the password check can make, and only the first five characters of a SHA-1 leave.
PWNED_PASSWORDS_API_ENABLED = env.bool("PWNED_PASSWORDS_API_ENABLED", default=False)
PWNED_PASSWORDS_API_URL = env.str("PWNED_PASSWORDS_API_URL", default="https://api.pwnedpasswords.com/range/")
PWNED_PASSWORDS_API_TIMEOUT = env.float("PWNED_PASSWORDS_API_TIMEOUT", default=2.0)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing strength is not what the suite tests; a fast hasher keeps it quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_CONFIRMATION_MAX_AGE = env.int("EMAIL_CONFIRMATION_MAX_AGE", default=3 * 24 * 3600)
INVITATION_MAX_AGE = env.int("INVITATION_MAX_AGE", default=14 * 24 * 3600)

# Failed sign-ins (django-axes): an account locks after SIGN_IN_ACCOUNT_FAILURE_LIMIT
# failures, an address (IP) after SIGN_IN_ADDRESS_FAILURE_LIMIT, higher because many people
# may share one (a trade fair's Wi-Fi). Both unlock by themselves after the cool-off.
SIGN_IN_ACCOUNT_FAILURE_LIMIT = env.int("SIGN_IN_ACCOUNT_FAILURE_LIMIT", default=5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=20)
SIGN_IN_CAPTCHA_AFTER = env.int("SIGN_IN_CAPTCHA_AFTER", default=3)
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_HANDLER = "shared_apps.account_security.lockout.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = SIGN_IN_ACCOUNT_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "shared_apps.account_security.lockout.username_from_request"
AXES_LOCKOUT_CALLABLE = "shared_apps.account_security.lockout.lockout_response"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Number of reverse proxies in front of the application; their X-Forwarded-For is trusted.
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
SIGN_IN_UNLOCK_MAX_AGE = env.int("SIGN_IN_UNLOCK_MAX_AGE", default=24 * 3600)

# Self-hosted proof-of-work CAPTCHA (ALTCHA): nothing is sent to a third party.
CAPTCHA_MAX_NUMBER = env.int("CAPTCHA_MAX_NUMBER", default=100_000)
CAPTCHA_MAX_AGE = env.int("CAPTCHA_MAX_AGE", default=20 * 60)

# Password reset by a code e-mailed to the account's address.
PASSWORD_RESET_CODE_MAX_AGE = env.int("PASSWORD_RESET_CODE_MAX_AGE", default=15 * 60)
PASSWORD_RESET_CODE_ATTEMPTS = env.int("PASSWORD_RESET_CODE_ATTEMPTS", default=5)
PASSWORD_RESET_PER_ADDRESS_PER_HOUR = env.int("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", default=3)
PASSWORD_RESET_PER_IP_PER_HOUR = env.int("PASSWORD_RESET_PER_IP_PER_HOUR", default=10)
EMAIL_CHANGE_MAX_AGE = env.int("EMAIL_CHANGE_MAX_AGE", default=24 * 3600)
KNOWN_DEVICE_COOKIE_NAME = "comptoir_device"
KNOWN_DEVICE_COOKIE_AGE = env.int("KNOWN_DEVICE_COOKIE_AGE", default=365 * 24 * 3600)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No SESSION_COOKIE_DOMAIN: a cookie stays on the host that set it, and the session
# records that host too (shared_apps.accounts.middleware.HostBoundSessionMiddleware).
# Saving a session pushes its expiry forward, so the absolute limit is enforced apart
# (shared_apps.account_sessions); the idle limit is each tenant's session_idle_minutes.
SESSION_ABSOLUTE_MAX_AGE = env.int("SESSION_ABSOLUTE_MAX_AGE", default=12 * 3600)
OPERATOR_SESSION_IDLE_MINUTES = env.int("OPERATOR_SESSION_IDLE_MINUTES", default=30)
SESSION_IDLE_WARNING_SECONDS = env.int("SESSION_IDLE_WARNING_SECONDS", default=120)
# Last-use time is written at most this often, so a busy page costs no extra writes.
SESSION_ACTIVITY_WRITE_SECONDS = env.int("SESSION_ACTIVITY_WRITE_SECONDS", default=60)
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "platform_core.views.csrf_failure"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Audit log and API ----------------------------------------------------------------
# Security logs are kept for a year by default (CNIL recommends 6 to 12 months).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
# How many proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
AUDIT_TRUSTED_PROXY_COUNT = env.int("AUDIT_TRUSTED_PROXY_COUNT", default=0)
API_TOKEN_MAX_AGE_DAYS = env.int("API_TOKEN_MAX_AGE_DAYS", default=30)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shared_apps.api.authentication.TenantTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"dj_rest_auth": None if TESTING else env.str("API_AUTH_THROTTLE_RATE", default="20/min")},
}
REST_AUTH = {
    "TOKEN_MODEL": "shared_apps.api.models.ApiToken",
    "TOKEN_CREATOR": "shared_apps.api.services.create_token_for_login",
    "TOKEN_SERIALIZER": "shared_apps.api.serializers.TokenSerializer",
    "LOGIN_SERIALIZER": "shared_apps.api.serializers.LoginSerializer",
    "USER_DETAILS_SERIALIZER": "shared_apps.api.serializers.UserDetailsSerializer",
    "PASSWORD_CHANGE_SERIALIZER": "shared_apps.api.serializers.PasswordChangeSerializer",
    "OLD_PASSWORD_FIELD_ENABLED": True,
    "SESSION_LOGIN": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Comptoir API",
    "DESCRIPTION": "The programme's API. Every call is answered for the programme whose host is called.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}
# Origins are checked per tenant (shared_apps.api.cors); none is allowed platform-wide.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS: list[str] = []
CORS_ALLOW_CREDENTIALS = False

# --- Two-factor authentication ------------------------------------------------------
OTP_TOTP_ISSUER = PLATFORM_NAME
MFA_REQUIRED_FOR_OPERATORS = env.bool("MFA_REQUIRED_FOR_OPERATORS", default=True)
MFA_CODE_VALIDITY_SECONDS = env.int("MFA_CODE_VALIDITY_SECONDS", default=600)
MFA_CODE_COOLDOWN_SECONDS = env.int("MFA_CODE_COOLDOWN_SECONDS", default=30)
# django-otp doubles the wait after each wrong code: factor, 2×factor, 4×factor… seconds.
MFA_THROTTLE_FACTOR = env.int("MFA_THROTTLE_FACTOR", default=1)
OTP_TOTP_THROTTLE_FACTOR = OTP_STATIC_THROTTLE_FACTOR = OTP_EMAIL_THROTTLE_FACTOR = MFA_THROTTLE_FACTOR
OTP_EMAIL_TOKEN_VALIDITY = MFA_CODE_VALIDITY_SECONDS
OTP_EMAIL_COOLDOWN_DURATION = MFA_CODE_COOLDOWN_SECONDS
# Time allowed between the password step and the second factor.
MFA_PENDING_MAX_AGE = env.int("MFA_PENDING_MAX_AGE", default=300)
MFA_MAX_FAILED_CODES = env.int("MFA_MAX_FAILED_CODES", default=5)
# Passkeys (django-otp-webauthn), as a second factor only. A passkey belongs to the host
# it was made on: the relying party and the accepted origin are the host of the request,
# one of the programme's (or the platform's) own domains.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_ID_CALLABLE = "shared_apps.mfa.passkeys.relying_party_id"
OTP_WEBAUTHN_RP_NAME_CALLABLE = "shared_apps.mfa.passkeys.relying_party_name"
OTP_WEBAUTHN_HELPER_CLASS = "shared_apps.mfa.passkeys.HostBoundPasskeyHelper"
OTP_WEBAUTHN_TIMEOUT_SECONDS = env.int("OTP_WEBAUTHN_TIMEOUT_SECONDS", default=300)
# Allowed origins are computed per request by the helper above, so the static list the
# package checks for stays empty on purpose.
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]
SMS_GATEWAY = env.str(
    "SMS_GATEWAY",
    default="shared_apps.mfa.gateways.RecordingSmsGateway" if TESTING else "shared_apps.mfa.gateways.DevelopmentSmsGateway",
)
SMS_OUTBOX_DIR = env.str("SMS_OUTBOX_DIR", default=str(embedded.DATA_DIR / "outbox"))

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("pt", _("Portuguese")),
    ("de", _("German")),
]
LANGUAGE_COOKIE_NAME = "comptoir_language"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(embedded.DATA_DIR / "static")))
# Each theme ships its stylesheets in themes/<name>/static/themes/<name>/.
STATICFILES_DIRS = sorted(str(path) for path in (BASE_DIR / "themes").glob("*/static") if path.is_dir())
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(embedded.DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION

# --- Mail -----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Comptoir <no-reply@comptoir.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(embedded.DATA_DIR / "outbox")

# --- Security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Privacy (GDPR) ------------------------------------------------------------------
# Bump when the cookie policy changes: everyone is asked again (CNIL: and at most every 13 months).
CONSENT_POLICY_VERSION = env.str("CONSENT_POLICY_VERSION", default="2025-1")
CONSENT_COOKIE_NAME = "comptoir_consent"
CONSENT_COOKIE_AGE = env.int("CONSENT_COOKIE_AGE", default=395 * 24 * 3600)
# Personal-data exports: outside MEDIA_ROOT, served only by a permission-checked view.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(embedded.DATA_DIR / "private")))
# Antivirus for uploaded verification documents: a clamd UNIX socket or host; off when neither is set.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_HOST = env.str("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=30.0)
DATA_EXPORT_MAX_AGE = env.int("DATA_EXPORT_MAX_AGE", default=48 * 3600)

# --- Finance (reconciliation) -----------------------------------------------------------
# Each run compares this many days back to now; the nightly run starts at this hour (TIME_ZONE).
FINANCE_RECONCILIATION_DAYS = env.int("FINANCE_RECONCILIATION_DAYS", default=35)
FINANCE_RECONCILIATION_HOUR = env.int("FINANCE_RECONCILIATION_HOUR", default=3)
CELERY_BEAT_SCHEDULE["finance-nightly-reconciliation"] = {
    "task": "finance.reconcile_all", "schedule": crontab(hour=FINANCE_RECONCILIATION_HOUR, minute=15),
}

# --- Content-Security-Policy and Permissions-Policy -------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if IS_PRODUCTION:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
PERMISSIONS_POLICY = {
    feature: []
    for feature in ("accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
                    "magnetometer", "microphone", "midi", "payment", "usb")
}

# --- Billing (Stripe) -------------------------------------------------------------------
# Without a secret key, card payments are hidden and sellers pay by invoice and transfer.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
# The signing secret (whsec_…) of the webhook endpoint registered in Stripe's dashboard.
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Only changed to point the official library at a local Stripe-compatible server in tests.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")
STRIPE_TIMEOUT_SECONDS = env.int("STRIPE_TIMEOUT_SECONDS", default=20)
# Where the billing page's forms may lead (Checkout and the customer portal): its
# Content-Security-Policy form-action must allow them, or the browser stops the redirect.
STRIPE_REDIRECT_ORIGINS = env.list(
    "STRIPE_REDIRECT_ORIGINS", default=["https://checkout.stripe.com", "https://billing.stripe.com"]
)
# A failing webhook handler is retried with backoff this many times before staying "failed".
STRIPE_WEBHOOK_MAX_ATTEMPTS = env.int("STRIPE_WEBHOOK_MAX_ATTEMPTS", default=8)
# The country the platform charges VAT from: EU businesses elsewhere with a VAT number
# are invoiced without VAT (reverse charge).
BILLING_HOME_COUNTRY = env.str("BILLING_HOME_COUNTRY", default="FR")

# --- Logging and error reporting ------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if IS_PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "platform_core.logging.ContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(tenant)s %(request_id)s %(user_id)s",
        },
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [tenant=%(tenant)s request=%(request_id)s "
            "user=%(user_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.security.DisallowedHost": {"level": "WARNING"},
    },
}
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default=ENVIRONMENT)
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    from platform_core.observability import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE)
DEV_SERVER_PORT = env.int("PORT", default=8000)
