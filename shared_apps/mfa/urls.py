from django.urls import path

from shared_apps.mfa import views

app_name = "mfa"

urlpatterns = [
    path("", views.index, name="index"),
    path("verify/", views.verify, name="verify"),
    path("authenticator/", views.enrol_totp, name="enrol-totp"),
    path("email/", views.enrol_email, name="enrol-email"),
    path("text-message/", views.enrol_sms, name="enrol-sms"),
    path("backup-codes/", views.backup_codes, name="backup-codes"),
    path("remove/", views.remove_device, name="remove"),
]
