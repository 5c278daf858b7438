from dj_rest_auth import views as rest_auth
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from shared_apps.api import views

router = SimpleRouter()
router.register("members", views.MemberViewSet, basename="member")
router.register("audit-events", views.AuditEventViewSet, basename="audit-event")

auth_urlpatterns = [
    path("login/", rest_auth.LoginView.as_view(), name="rest_login"),
    path("logout/", views.LogoutView.as_view(), name="rest_logout"),
    path("user/", rest_auth.UserDetailsView.as_view(), name="rest_user_details"),
    path("password/change/", views.PasswordChangeView.as_view(), name="rest_password_change"),
    path("password/reset/", views.PasswordResetRequestView.as_view(), name="rest_password_reset"),
    path("password/reset/confirm/", views.PasswordResetConfirmView.as_view(), name="rest_password_reset_confirm"),
]

app_name = "api"

urlpatterns = [
    path("v1/auth/", include(auth_urlpatterns)),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[]), name="docs"),
]
