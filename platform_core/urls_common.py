"""URLs every host answers: health probes, language switch, theme tokens."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import set_language

from platform_core import health, views
from shared_apps.privacy import views as privacy_views
from tenants.views import theme_tokens

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("theme/tokens.css", theme_tokens, name="theme-tokens"),
    path("legal/privacy/", privacy_views.privacy_policy, name="privacy-policy"),
    path("legal/<slug:page>/", views.legal, name="legal"),
    path("privacy/", include("shared_apps.privacy.urls")),
]

# Uploaded public files (logos); in production the storage backend serves them.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "platform_core.views.bad_request"
handler403 = "platform_core.views.permission_denied"
handler404 = "platform_core.views.page_not_found"
handler500 = "platform_core.views.server_error"
