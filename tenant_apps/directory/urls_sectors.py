from tenant_apps.directory.urls_profiles import sector_urlpatterns

app_name = "directory-sectors"

urlpatterns = sector_urlpatterns
