from tenant_apps.directory.search.urls import search_urlpatterns

app_name = "directory"

urlpatterns = [*search_urlpatterns]
