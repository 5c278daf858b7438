"""A tenant's host: its programme."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.cache import cache_page

from platform_core.urls_common import handler400, handler403, handler404, handler500  # noqa: F401
from platform_core.urls_common import urlpatterns as common
from shared_apps.billing.urls import manage_urlpatterns as billing_manage_urls
from shared_apps.finance.urls import manage_urlpatterns as finance_summary_urls
from tenant_apps.catalogue.sitemaps import SITEMAPS
from tenant_apps.home.views import robots_txt

# For search engines: cached an hour (per programme: the cache's keys carry its schema).
SITEMAP_SECONDS = 60 * 60

urlpatterns = [
    *common,
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", cache_page(SITEMAP_SECONDS)(sitemap_views.index), {"sitemaps": SITEMAPS,
         "sitemap_url_name": "sitemap-section"}, name="sitemap-index"),
    path("sitemap-<section>.xml", cache_page(SITEMAP_SECONDS)(sitemap_views.sitemap), {"sitemaps": SITEMAPS},
         name="sitemap-section"),
    path("", include("tenant_apps.home.urls")),
    path("accounts/mfa/", include("shared_apps.mfa.urls")),
    path("accounts/sessions/", include("shared_apps.account_sessions.urls")),
    path("accounts/", include("shared_apps.accounts.urls")),
    path("accounts/", include("shared_apps.account_security.urls")),
    path("manage/audit/", include("shared_apps.audit.urls")),
    path("manage/access/", include("shared_apps.access.urls")),
    path("manage/api/", include("shared_apps.api.settings_urls")),
    path("manage/onboarding/", include("tenant_apps.directory.onboarding.urls")),
    path("", include("tenant_apps.verification.urls")),
    path("manage/sectors/", include("tenant_apps.directory.urls_sectors")),
    path("manage/billing/", include((billing_manage_urls, "billing-admin"))),
    path("manage/finance/", include((finance_summary_urls, "finance-summary"))),
    path("manage/", include("tenants.urls")),
    path("api/", include("shared_apps.api.urls")),
    path("notifications/", include("tenant_apps.notifications.urls")),
    path("directory/", include("tenant_apps.directory.urls")),
    path("billing/", include("shared_apps.billing.urls")),
    path("catalogue/", include("tenant_apps.catalogue.urls")),
    path("showroom/", include("tenant_apps.catalogue.showroom.urls")),
    path("inquiries/", include("tenant_apps.inquiries.urls")),
    path("promotion/", include("tenant_apps.promotion.urls")),
    path("analytics/", include("tenant_apps.analytics.urls")),
]
