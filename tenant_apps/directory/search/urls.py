from django.urls import path

from tenant_apps.directory.search import views

search_urlpatterns = [
    path("", views.company_search, name="company-search"),
    path("experts/", views.expert_search, name="expert-search"),
    path("settings/", views.directory_settings, name="settings"),
]
