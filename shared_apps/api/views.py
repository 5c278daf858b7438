"""The programme's REST API: thin views over the same selectors and services as the pages."""

from axes.helpers import get_client_ip_address
from dj_rest_auth.views import LogoutView as BaseLogoutView
from dj_rest_auth.views import PasswordChangeView as BasePasswordChangeView
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.account_security import services as account_security
from shared_apps.account_security.forms import NewPasswordForm
from shared_apps.accounts.models import Membership
from shared_apps.accounts.selectors import members_of
from shared_apps.api import serializers, services
from shared_apps.api.models import ApiToken
from shared_apps.api.permissions import TenantPermission
from shared_apps.audit.forms import AuditFilterForm
from shared_apps.audit.models import AuditEvent
from shared_apps.audit.selectors import events_for


@extend_schema(
    request=None,
    responses={200: inline_serializer("LogoutResponse", {"detail": drf_serializers.CharField()})},
)
class LogoutView(BaseLogoutView):
    """Sign out: the token used for this call stops working, and the session ends."""

    def logout(self, request):
        if isinstance(request.auth, ApiToken):
            services.withdraw_token(token=request.auth)
        return super().logout(request)


class PasswordChangeView(BasePasswordChangeView):
    """Change one's password; every other token of the account stops working."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            keep = request.auth if isinstance(request.auth, ApiToken) else None
            services.withdraw_other_tokens(user=request.user, keep=keep)
        return response


RESET_SALT = "api.password-reset"
_DETAIL = inline_serializer("PasswordResetDetail", {"detail": drf_serializers.CharField()})


class _PasswordResetStep(APIView):
    # No session or token: the caller is signed out. Rate-limited like sign-in.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "dj_rest_auth"


@extend_schema(
    tags=["auth"], request=serializers.PasswordResetRequestSerializer,
    responses={202: serializers.PasswordResetRequestedSerializer,
               429: OpenApiResponse(_DETAIL, description="Too many requests for this address or network this hour.")},
)
class PasswordResetRequestView(_PasswordResetStep):
    """Step 1 of the reset, as on the site: if the address has an account, it is e-mailed an 8-character code.

    The answer is the same whether or not the address has an account; keep ``reset`` for step 2.
    """

    def post(self, request):
        serializer = serializers.PasswordResetRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            reset = account_security.request_password_reset(
                email=serializer.validated_data["email"], ip_address=get_client_ip_address(request._request),
                tenant=request.tenant,
            )
        except account_security.TooManyRequests as error:
            return Response({"detail": str(error)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        reference = signing.dumps({"reset": reset.pk, "tenant": request.tenant.pk}, salt=RESET_SALT)
        return Response({
            "detail": _("If this address has an account, a code is on its way to it."),
            "reset": reference, "expires_in": settings.PASSWORD_RESET_CODE_MAX_AGE,
        }, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    tags=["auth"], request=serializers.PasswordResetConfirmSerializer,
    responses={200: _DETAIL, 400: OpenApiResponse(description="Wrong, used or expired code, or a refused password.")},
)
class PasswordResetConfirmView(_PasswordResetStep):
    """Step 2: the e-mailed code and the new password. A code works once, with a few tries only.

    Every API token of the account is withdrawn once the password is changed.
    """

    def post(self, request):
        serializer = serializers.PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invalid = _("This code is not valid or has expired. Check the last e-mail we sent, or ask for a new code.")
        try:
            reference = signing.loads(data["reset"], salt=RESET_SALT, max_age=settings.PASSWORD_RESET_CODE_MAX_AGE)
        except signing.BadSignature as exc:
            raise exceptions.ValidationError({"reset": [invalid]}) from exc
        if reference.get("tenant") != request.tenant.pk:
            raise exceptions.ValidationError({"reset": [invalid]})
        try:
            reset = account_security.verify_reset_code(reset_id=reference.get("reset"), code=data["code"])
        except account_security.SecurityError as error:
            raise exceptions.ValidationError({"code": [str(error)]}) from error
        form = NewPasswordForm({"password1": data["new_password1"], "password2": data["new_password2"]}, user=reset.user)
        if not form.is_valid():
            names = {"password1": "new_password1", "password2": "new_password2", "__all__": "non_field_errors"}
            raise exceptions.ValidationError({names.get(key, key): errors for key, errors in form.errors.items()})
        try:
            user = account_security.complete_password_reset(
                reset_id=reset.pk, password=form.cleaned_data["password1"], tenant=request.tenant,
            )
        except account_security.SecurityError as error:
            raise exceptions.ValidationError({"code": [str(error)]}) from error
        services.withdraw_other_tokens(user=user)
        return Response({"detail": _("Your password is changed. Sign in with it now.")})


@extend_schema(tags=["members"])
class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    """Members of the programme, with their role and badges (permission ``members.view``)."""

    serializer_class = serializers.MemberSerializer
    permission_classes = [IsAuthenticated, TenantPermission]
    required_permission = "members.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.plain.none()
        return members_of(self.request.tenant)



@extend_schema(
    tags=["audit"],
    parameters=[
        OpenApiParameter("actor", OpenApiTypes.STR, description=str(_("Part of the actor's e-mail address"))),
        OpenApiParameter("action", OpenApiTypes.STR, description=str(_("Action key, e.g. membership.role_changed"))),
        OpenApiParameter("since", OpenApiTypes.DATE),
        OpenApiParameter("until", OpenApiTypes.DATE),
    ],
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The programme's audit log, newest first (permission ``audit.view``)."""

    serializer_class = serializers.AuditEventSerializer
    permission_classes = [IsAuthenticated, TenantPermission]
    required_permission = "audit.view"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.plain.none()
        form = AuditFilterForm(self.request.query_params or None)
        if self.request.query_params and not form.is_valid():
            errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
            if set(errors) & {"actor", "action", "since", "until"}:
                raise exceptions.ValidationError(errors)
        try:
            return events_for(self.request.tenant, **form.filters())
        except ValidationError as error:
            raise exceptions.ValidationError(error.messages) from error
