from django.urls import path

from shared_apps.api import settings_views

app_name = "api-settings"

urlpatterns = [
    path("", settings_views.origins, name="origins"),
]
