from django.urls import include, path

from tenant_apps.directory.search.urls import search_urlpatterns
from tenant_apps.directory.urls_profiles import profile_urlpatterns

app_name = "directory"

urlpatterns = [
    *search_urlpatterns,
    path("", include(profile_urlpatterns)),
]
