"""A tenant's host: its programme."""

from django.urls import include, path

from platform_core.urls_common import handler400, handler403, handler404, handler500  # noqa: F401
from platform_core.urls_common import urlpatterns as common

urlpatterns = [
    *common,
    path("", include("tenant_apps.home.urls")),
    path("accounts/mfa/", include("shared_apps.mfa.urls")),
    path("accounts/sessions/", include("shared_apps.account_sessions.urls")),
    path("accounts/", include("shared_apps.accounts.urls")),
    path("manage/", include("tenants.urls")),
    path("notifications/", include("tenant_apps.notifications.urls")),
]
