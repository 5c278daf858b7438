from dj_rest_auth import serializers as rest_auth
from django.contrib.auth import update_session_auth_hash
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


class PasswordChangeSerializer(rest_auth.PasswordChangeSerializer):
    """The same change as the page's: audited, and the owner is e-mailed a notice."""

    def save(self):
        from shared_apps.account_security.services import change_password

        change_password(user=self.user, password=self.set_password_form.cleaned_data["new_password1"],
                        tenant=self.request.tenant)
        update_session_auth_hash(self.request, self.user)


class PasswordResetRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()


class PasswordResetRequestedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    reset = serializers.CharField(help_text=_("Send it back with the code to the confirm endpoint."))
    expires_in = serializers.IntegerField(help_text=_("Seconds the code stays valid."))


class PasswordResetConfirmSerializer(serializers.Serializer):
    reset = serializers.CharField(help_text=_("The value the reset request answered."))
    code = serializers.CharField(max_length=20, help_text=_("The 8-character code e-mailed to the account."))
    new_password1 = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)
    new_password2 = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


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
