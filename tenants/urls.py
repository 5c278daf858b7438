from django.urls import path

from shared_apps.privacy import views as privacy_views
from tenants import views

app_name = "tenant-settings"

urlpatterns = [
    path("", views.settings_index, name="index"),
    path("branding/", views.branding, name="branding"),
    path("languages-and-modules/", views.languages_modules, name="languages-modules"),
    path("roles/", views.role_matrix, name="roles"),
    path("kpis/", views.kpis, name="kpis"),
    path("privacy/", privacy_views.privacy_settings_page, name="privacy"),
    path("security/", views.security, name="security"),
]
