from django.urls import path

from shared_apps.account_security import views

app_name = "account_security"

urlpatterns = [
    path("password-reset/", views.password_reset_request, name="password-reset"),
    path("password-reset/code/", views.password_reset_code, name="password-reset-code"),
    path("password-reset/new-password/", views.password_reset_new, name="password-reset-new"),
    path("password/", views.password_change, name="password-change"),
    path("email/", views.email_change, name="email-change"),
    path("email/confirm/<str:token>/", views.email_change_confirm, name="email-change-confirm"),
    path("unlock/<str:token>/", views.unlock, name="unlock"),
    path("members/<int:pk>/unlock/", views.unlock_member, name="member-unlock"),
]

# The platform's host: operators follow their own unlock link or unlock anyone's account.
public_urlpatterns = [
    path("unlock/<str:token>/", views.unlock, name="unlock"),
    path("locked-accounts/", views.operator_unlock, name="operator-unlock"),
]
