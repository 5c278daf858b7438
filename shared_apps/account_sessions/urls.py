from django.urls import path

from shared_apps.account_sessions import views

app_name = "account-sessions"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("revoke-others/", views.revoke_others, name="revoke-others"),
    path("status/", views.status, name="status"),
    path("keep-alive/", views.keep_alive, name="keep-alive"),
]
