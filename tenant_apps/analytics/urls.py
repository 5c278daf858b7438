from django.urls import path

from tenant_apps.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
    path("programme/", views.programme_dashboard, name="programme-dashboard"),
    path("programme/report/", views.programme_report, name="programme-report"),
    path("programme/engagement/", views.engagement, name="engagement"),
    path("programme/engagement/export/", views.engagement_export, name="engagement-export"),
    path("companies/<int:pk>/", views.company_dashboard, name="company-dashboard"),
    path("companies/<int:pk>/report/", views.company_report, name="company-report"),
]
