"""The programme's REST API: thin views over the same selectors and services as the pages."""

from dj_rest_auth.views import LogoutView as BaseLogoutView
from dj_rest_auth.views import PasswordChangeView as BasePasswordChangeView
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.permissions import IsAuthenticated

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
