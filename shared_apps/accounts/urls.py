from django.urls import path

from shared_apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("sign-up/done/", views.sign_up_done, name="sign-up-done"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm-email"),
    path("confirm-again/", views.resend_confirmation, name="resend-confirmation"),
    path("join/", views.join, name="join"),
    path("invitations/<str:token>/", views.accept_invitation, name="invitation-accept"),
    path("members/", views.member_list, name="member-list"),
    path("members/invite/", views.invite, name="invite"),
    path("members/<int:pk>/role/", views.change_member_role, name="member-role"),
    path("members/<int:pk>/remove/", views.remove_member, name="member-remove"),
]

# The platform's host has operators and finance staff only: they sign in and out, nothing else.
public_urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
]
