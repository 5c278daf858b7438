from django.urls import path

from shared_apps.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("export/", views.event_export, name="event-export"),
    path("elevated-privileges/", views.privilege_report, name="privilege-report"),
]

console_urlpatterns = [
    path("", views.console_event_list, name="console-event-list"),
    path("export/", views.console_event_export, name="console-event-export"),
    path("elevated-privileges/", views.console_privilege_report, name="console-privilege-report"),
]
