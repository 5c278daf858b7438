from django.urls import path

from tenant_apps.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("<int:pk>/read/", views.mark_notification_read, name="notification-mark-read"),
    path("read-all/", views.mark_all_notifications_read, name="notification-mark-all-read"),
    path("preferences/", views.notification_preferences, name="notification-preferences"),
]
