from django.urls import path
from django.views.i18n import JavaScriptCatalog

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
    path("passkey/", views.enrol_passkey, name="enrol-passkey"),
    path("passkey/added/", views.passkey_added, name="passkey-added"),
    path("passkey/registration/begin/", views.PasskeyRegistrationBegin.as_view(), name="passkey-registration-begin"),
    path("passkey/registration/complete/", views.PasskeyRegistrationComplete.as_view(),
         name="passkey-registration-complete"),
    path("passkey/authentication/begin/", views.PasskeyAuthenticationBegin.as_view(),
         name="passkey-authentication-begin"),
    path("passkey/authentication/complete/", views.PasskeyAuthenticationComplete.as_view(),
         name="passkey-authentication-complete"),
    path("passkey/jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="passkey-jsi18n"),
]
