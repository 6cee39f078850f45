"""Settings shared by every environment. Values that differ per install come from the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from ancrage.settings.env import env_bool, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(env_str("ANCRAGE_VAR_DIR", str(PROJECT_DIR / "var")))

SECRET_KEY = env_str("ANCRAGE_SECRET_KEY", "insecure-development-key-never-use-in-production")
DEBUG = env_bool("ANCRAGE_DEBUG", False)
# A demonstration instance: demo accounts may skip MFA and a banner says so. Production refuses it.
DEMO = env_bool("ANCRAGE_DEMO", False)
ALLOWED_HOSTS = env_list("ANCRAGE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("ANCRAGE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ancrage.core",
    "ancrage.accounts",
    "ancrage.audit",
    "ancrage.notifications",
    "ancrage.programs",
    "ancrage.people",
    "ancrage.support",
    "ancrage.activities",
    "ancrage.casefile",
    "ancrage.housing",
    "ancrage.allocation",
    "ancrage.outreach",
    "ancrage.catalogue",
    "ancrage.partnerships",
    "ancrage.indicators",
    "ancrage.funding",
    "ancrage.privacy",
    "ancrage.imports",
    "ancrage.api",
    "ancrage.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ancrage.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ancrage.accounts.middleware.CurrentOrganizationMiddleware",
    "ancrage.core.middleware.AccessRegistryMiddleware",
    "ancrage.accounts.middleware.RequireMfaMiddleware",
    "ancrage.audit.middleware.AuditActorMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ancrage.urls"
WSGI_APPLICATION = "ancrage.wsgi.application"
ASGI_APPLICATION = "ancrage.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-level templates first: they override third-party ones (allauth pages).
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} with the links to ids computed once per route (core/urls_fast.py), and
            # |date writing the all-digit formats directly: Django's text, in less time.
            "builtins": [
                "ancrage.core.templatetags.fasturl",
                "ancrage.core.templatetags.fastdate",
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ancrage.core.context_processors.shell",
                "ancrage.accounts.context_processors.permissions",
                "ancrage.notifications.context_processors.unread",
            ],
        },
    }
]


def _database() -> dict:
    url = env_str("DATABASE_URL", "")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("ANCRAGE_DB_CONN_MAX_AGE", 60))
        config["CONN_HEALTH_CHECKS"] = True
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("ANCRAGE_SQLITE_PATH", str(VAR_DIR / "ancrage.sqlite3")),
        "OPTIONS": {
            # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
            # on the busy timeout instead of failing with "database is locked" mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
    }


DATABASES = {"default": _database()}
# A PostgreSQL replica the dashboards read their figures from (ancrage.core.routers, docs/deploy.md).
_REPLICA_URL = env_str("ANCRAGE_REPLICA_DATABASE_URL", "")
if _REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(_REPLICA_URL, conn_max_age=env_int("ANCRAGE_DB_CONN_MAX_AGE", 60)),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["ancrage.core.routers.ReplicaRouter"]
# Where the dashboards read their figures: the replica when there is one.
ANCRAGE_DASHBOARD_DATABASE = "replica" if _REPLICA_URL else "default"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ancrage.accounts.validators.NameInPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail login, no public sign-up (accounts are opened by an organization admin).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "ancrage.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# django-axes locks accounts after AXES_FAILURE_LIMIT failures; allauth's own limit is a looser backstop.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,20/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ancrage"
MFA_RECOVERY_CODE_COUNT = 10

# django-axes: lock an account (per e-mail and IP) after repeated failures.
AXES_FAILURE_LIMIT = env_int("ANCRAGE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "ancrage.accounts.axes.login_identifier"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False

EMAIL_BACKEND = env_str("ANCRAGE_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("ANCRAGE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ANCRAGE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("ANCRAGE_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("ANCRAGE_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ANCRAGE_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("ANCRAGE_DEFAULT_FROM_EMAIL", "Ancrage <ne-pas-repondre@localhost>")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["ancrage.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# Documents of people's files: outside the static and media roots, served only by a view that
# checks access (core.documents).
ANCRAGE_DOCUMENTS_DIR = Path(env_str("ANCRAGE_DOCUMENTS_DIR", str(VAR_DIR / "documents")))
ANCRAGE_DOCUMENT_MAX_BYTES = env_int("ANCRAGE_DOCUMENT_MAX_BYTES", 10 * 2**20)
# A landlord's extract for outreach (hundreds of thousands of lines).
ANCRAGE_OUTREACH_MAX_BYTES = env_int("ANCRAGE_OUTREACH_MAX_BYTES", 256 * 2**20)

SESSION_COOKIE_AGE = env_int("ANCRAGE_SESSION_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (core/middleware.py): reported by browsers instead of enforced when true.
ANCRAGE_CSP_REPORT_ONLY = env_bool("ANCRAGE_CSP_REPORT_ONLY", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "ancrage.core.viewsets.api_exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ancrage.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ancrage.api.permissions.RegistryPermission"],
    "DEFAULT_SCHEMA_CLASS": "ancrage.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "ancrage.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Ancrage",
    "DESCRIPTION": (
        "API REST d'Ancrage. Authentification par jeton (en-tête `Authorization: Token <jeton>`) "
        "ou par session. Les mêmes règles d'accès que les pages s'appliquent."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PriorityEnum": "ancrage.support.enums.Priority",
        "CommitteeKindEnum": "ancrage.partnerships.models.CommitteeKind",
        "MeetingKindEnum": "ancrage.partnerships.models.MeetingKind",
        "RightsRequestKindEnum": "ancrage.privacy.enums.RequestKind",
        "OrganizationKindEnum": "ancrage.accounts.enums.OrganizationKind",
        "ContactOutcomeEnum": "ancrage.support.enums.Outcome",
        "ExitOutcomeEnum": "ancrage.support.enums.ExitOutcome",
        "StepKindEnum": "ancrage.support.enums.StepKind",
        "StepStatusEnum": "ancrage.support.enums.StepStatus",
        "FollowUpKindEnum": "ancrage.support.enums.FollowUpKind",
        "FollowUpHousingEnum": "ancrage.support.enums.FollowUpHousing",
        "AppointmentStatusEnum": "ancrage.support.enums.AppointmentStatus",
        "ActivityKindEnum": "ancrage.activities.enums.ActivityKind",
        "MemberRoleEnum": "ancrage.accounts.enums.Role",
        "ParticipantRoleEnum": "ancrage.programs.enums.ParticipantRole",
        "ResidenceKindEnum": "ancrage.housing.enums.ResidenceKind",
        "CommonSpaceKindEnum": "ancrage.housing.enums.CommonSpaceKind",
        "SurveyQuestionKindEnum": "ancrage.housing.models.QuestionKind",
        "ResidenceRequestKindEnum": "ancrage.housing.models.RequestKind",
        "ResidenceRequestStatusEnum": "ancrage.housing.models.RequestStatus",
        "WeekdayEnum": "ancrage.housing.models.Weekday",
        "LeaseKindEnum": "ancrage.housing.enums.LeaseKind",
        "InspectionKindEnum": "ancrage.housing.enums.InspectionKind",
        "UnitStatusEnum": "ancrage.housing.enums.UnitStatus",
        "ApplicationClosingEnum": "ancrage.housing.enums.ApplicationClosing",
        "ReportStatusEnum": "ancrage.indicators.enums.ReportStatus",
        "InstallmentStatusEnum": "ancrage.funding.enums.InstallmentStatus",
        "InstallmentKindEnum": "ancrage.funding.enums.InstallmentKind",
        "DocumentKindEnum": "ancrage.people.enums.DocumentKind",
        "ContactChannelEnum": "ancrage.support.enums.Channel",
        "ProspectStatusEnum": "ancrage.outreach.enums.ProspectStatus",
        "AttemptChannelEnum": "ancrage.outreach.enums.AttemptChannel",
        "AttemptOutcomeEnum": "ancrage.outreach.enums.ATTEMPT_OUTCOME_CHOICES",
        "ImportStatusEnum": "ancrage.core.enums.ImportStatus",
        "ImportModeEnum": "ancrage.core.enums.ImportMode",
        "AssessmentKindEnum": "ancrage.support.enums.AssessmentKind",
        "WorkKindEnum": "ancrage.support.enums.WorkKind",
        "MilestoneKindEnum": "ancrage.support.enums.MilestoneKind",
        "JobContractEnum": "ancrage.support.enums.JobContract",
        "PathwayEnum": "ancrage.support.enums.Pathway",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Progress of background work (an import) written by the worker and read by the pages, outside
# the work's own transaction: files under var/, shared by the processes of one server.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "progress"),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "key_value": {
            "()": "ancrage.core.logging.KeyValueFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "key_value"}},
    "root": {"handlers": ["console"], "level": env_str("ANCRAGE_LOG_LEVEL", "INFO")},
    # Axes logs the e-mail typed at login: personal data stays out of the logs.
    # Django's own console handler (DEBUG) would print each 404 a second time: one line each.
    "loggers": {
        "axes": {"level": "WARNING"},
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Default deny: the one list of URL names and who may use them (see core/access.py).
ANCRAGE_ACCESS_REGISTRY = "ancrage.access_registry"
# /sante/ answers 503 when the worker has not beaten for this long (it beats every 30 s).
ANCRAGE_WORKER_SILENCE_SECONDS = env_int("ANCRAGE_WORKER_SILENCE_SECONDS", 300)
# Models holding personal data (or deciding who sees it): every write is recorded by the audit app.
ANCRAGE_AUDITED_MODELS = [
    "accounts.User",
    "accounts.Organization",
    "accounts.Membership",
    "accounts.ApiToken",
    "programs.Program",
    "programs.ProgramParticipant",
    "programs.ProgramContact",
    "people.Person",
    "people.Resource",
    "people.HouseholdMember",
    "people.SharingObjection",
    "people.PersonMerge",
    "people.PersonDocument",
    "support.Contact",
    "support.Enrollment",
    "support.Exit",
    "support.Step",
    "support.Note",
    "support.Assessment",
    "support.Referral",
    "support.Appointment",
    "support.CalendarFeed",
    "support.FollowUp",
    "support.AdaptationWork",
    "support.InsertionMilestone",
    "housing.Residence",
    "housing.Unit",
    "housing.Bed",
    "housing.Rhythm",
    "housing.Booking",
    "housing.BookingPeriod",
    "housing.Charge",
    "housing.ThirdPartyPayment",
    "housing.Payment",
    "housing.Lease",
    "housing.SlideCondition",
    "housing.Inspection",
    "housing.InspectionItem",
    "housing.HousingApplication",
    "housing.WaitingListRule",
    "housing.SchoolCalendar",
    "housing.CommonSpace",
    "housing.SpaceBooking",
    # Surveys and their questions; never the answers (anonymous: no actor, no request is kept).
    "housing.Survey",
    "housing.SurveyQuestion",
    "housing.StaffSlot",
    "housing.ResidenceRequest",
    "housing.Pairing",
    "allocation.AllocationRun",
    "activities.Activity",
    "catalogue.Service",
    "catalogue.Pack",
    "catalogue.Entitlement",
    "catalogue.Opening",
    "catalogue.Delivery",
    "partnerships.Apprenticeship",
    "partnerships.CharterTemplate",
    "partnerships.Charter",
    "partnerships.Signatory",
    "partnerships.Committee",
    "partnerships.CommitteeMember",
    "partnerships.Meeting",
    "partnerships.Decision",
    "partnerships.PartnerAgreement",
    "partnerships.AgreementParty",
    "activities.Session",
    "activities.Attendance",
    "activities.Registration",
    "indicators.Target",
    "indicators.AnnualReport",
    "indicators.ReportEvent",
    "funding.Agreement",
    "funding.AgreementYear",
    "funding.Objective",
    "funding.Installment",
    "funding.Call",
    "funding.Criterion",
    "funding.AccessRequest",
    "funding.Application",
    "funding.ApplicationDocument",
    "funding.Review",
    "privacy.RetentionPolicy",
    "privacy.RightsRequest",
    "outreach.OutreachList",
    "outreach.LandlordMapping",
    "outreach.Segment",
    "outreach.ScoringRule",
    "outreach.Assignment",
    "outreach.Prospect",
    "outreach.Campaign",
    "outreach.Attempt",
]
# A hybrid allocation run of at least this many apprentices is split into its independent
# clusters, solved side by side by the workers (AllocationPart); smaller runs are one task.
ANCRAGE_ALLOCATION_SPLIT = env_int("ANCRAGE_ALLOCATION_SPLIT", 400)
# Days after the start of a charged month before an unpaid balance shows as arrears.
ANCRAGE_ARREARS_DELAY_DAYS = env_int("ANCRAGE_ARREARS_DELAY_DAYS", 30)

# Tasks ``ancrage worker`` queues once a day.
ANCRAGE_DAILY_TASKS = [
    "ancrage.privacy.tasks.apply_retention",
    "ancrage.imports.tasks.forget_old_imports",
    "ancrage.outreach.tasks.forget_prospects",
    "ancrage.support.tasks.notify_due_today",
    "ancrage.funding.tasks.notify_funding_deadlines",
    "ancrage.funding.tasks.forget_old_access_requests",
    "ancrage.partnerships.tasks.remind_charter_signatories",
    "ancrage.partnerships.tasks.notify_partner_agreements_ending",
    "ancrage.partnerships.tasks.remind_pathway_modules",
    "ancrage.notifications.tasks.send_daily_summaries",
    "ancrage.notifications.tasks.forget_old_notifications",
]
# How long notifications are kept (days): once read, and in any case.
ANCRAGE_NOTIFICATION_READ_DAYS = env_int("ANCRAGE_NOTIFICATION_READ_DAYS", 90)
ANCRAGE_NOTIFICATION_DAYS = env_int("ANCRAGE_NOTIFICATION_DAYS", 365)
# How long audit events are kept (days): consultations, then everything else (audit.retention).
ANCRAGE_AUDIT_VIEW_RETENTION_DAYS = env_int("ANCRAGE_AUDIT_VIEW_RETENTION_DAYS", 365)
ANCRAGE_AUDIT_RETENTION_DAYS = env_int("ANCRAGE_AUDIT_RETENTION_DAYS", 6 * 365 + 2)

# Key of the pseudonyms that let roll-ups count a person followed by two organizations once.
# Changing it changes every pseudonym: refresh the indicators afterwards.
ANCRAGE_PSEUDONYM_KEY = env_str("ANCRAGE_PSEUDONYM_KEY", SECRET_KEY)
# Open-data exports suppress the cells below this number of people or events.
ANCRAGE_SMALL_CELL_THRESHOLD = env_int("ANCRAGE_SMALL_CELL_THRESHOLD", 11)
# Refresh the indicators in a background task when data changes (off in tests: they refresh by hand).
ANCRAGE_INDICATORS_AUTO_REFRESH = env_bool("ANCRAGE_INDICATORS_AUTO_REFRESH", True)
# The address users reach the application at, for links in e-mails.
ANCRAGE_BASE_URL = env_str("ANCRAGE_BASE_URL", "http://127.0.0.1:8000")
