"""The platform's own host: landing page, operators' console, finance pages, their sign-in."""

from django.urls import include, path

from platform_core import views
from platform_core.urls_common import handler400, handler403, handler404, handler500  # noqa: F401
from platform_core.urls_common import urlpatterns as common
from shared_apps.account_security.urls import public_urlpatterns as account_security_urls
from shared_apps.accounts.urls import public_urlpatterns as account_urls
from shared_apps.audit.urls import console_urlpatterns as audit_console_urls
from shared_apps.billing.urls import console_urlpatterns as billing_console_urls
from shared_apps.billing.urls import webhook_urlpatterns as billing_webhook_urls
from shared_apps.finance.urls import console_urlpatterns as finance_staff_urls

urlpatterns = [
    *common,
    path("", views.landing, name="landing"),
    path("accounts/mfa/", include("shared_apps.mfa.urls")),
    path("accounts/sessions/", include("shared_apps.account_sessions.urls")),
    path("accounts/", include((account_urls, "accounts"))),
    path("accounts/", include((account_security_urls, "account_security"))),
    path("console/audit/", include((audit_console_urls, "audit"))),
    path("console/billing/", include((billing_console_urls, "billing-console"))),
    path("billing/", include((billing_webhook_urls, "billing-webhooks"))),
    path("console/finance-staff/", include((finance_staff_urls, "finance-staff"))),
    path("console/", include("shared_apps.operators.urls")),
    path("finance/", include("shared_apps.finance.urls")),
]
