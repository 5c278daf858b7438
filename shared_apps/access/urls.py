from django.urls import path

from shared_apps.access import views

app_name = "access"

urlpatterns = [
    path("temporary-access/", views.grant_list, name="grant-list"),
    path("temporary-access/<int:pk>/revoke/", views.grant_revoke, name="grant-revoke"),
    path("badges/", views.rule_list, name="rule-list"),
    path("badges/<int:pk>/", views.rule_change, name="rule-change"),
]
