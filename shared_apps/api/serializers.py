from dj_rest_auth import serializers as rest_auth
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers

from shared_apps.accounts.models import Membership, User
from shared_apps.api.models import ApiToken
from shared_apps.audit.models import AuditEvent


class LoginSerializer(rest_auth.LoginSerializer):
    """E-mail and password; only members of the programme whose host is called get in."""

    username = None
    email = serializers.EmailField()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        tenant = self.context["request"].tenant
        if not Membership.objects.for_tenant(tenant).filter(user=attrs["user"]).exists():
            raise exceptions.ValidationError(_("Unable to log in with provided credentials."))
        return attrs


class TokenSerializer(serializers.ModelSerializer):
    key = serializers.CharField(read_only=True, help_text=_("Send it as “Authorization: Token <key>”. Shown once."))

    class Meta:
        model = ApiToken
        fields = ("key", "expires_at")


class UserDetailsSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("pk", "email", "full_name", "preferred_language")
        read_only_fields = ("pk", "email")


class TenantPasswordResetForm(PasswordResetForm):
    """Reset e-mails only for members of the programme asked, in its name."""

    tenant = None

    def get_users(self, email):
        users = super().get_users(email)
        return [
            user for user in users
            if Membership.objects.for_tenant(self.tenant).filter(user=user).exists()
        ]


class PasswordResetSerializer(rest_auth.PasswordResetSerializer):
    @property
    def password_reset_form_class(self):
        tenant = self.context["request"].tenant

        class Form(TenantPasswordResetForm):
            pass

        Form.tenant = tenant
        return Form

    def get_email_options(self):
        request = self.context["request"]
        return {
            "subject_template_name": "api/password_reset_subject.txt",
            "email_template_name": "api/password_reset_body.txt",
            "domain_override": request.get_host(),
            "extra_email_context": {"programme": request.tenant},
        }


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    badges = serializers.ListField(child=serializers.CharField(), read_only=True)
    joined_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "email", "full_name", "organisation", "role", "role_label", "badges", "joined_at")


class AuditEventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(read_only=True)

    class Meta:
        model = AuditEvent
        fields = ("id", "created_at", "actor_label", "actor_role", "action", "action_label", "target_type",
                  "target_id", "target_label", "before", "after", "ip_address", "user_agent", "request_id")
