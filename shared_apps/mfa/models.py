"""The one second factor django-otp does not ship: codes sent by text message.

Authenticator apps, e-mailed codes and backup codes are django-otp's own devices
(``otp_totp``, ``otp_email``, ``otp_static``); every device belongs to a user, not to a
tenant, so one enrolment serves every programme the person belongs to.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import CooldownMixin, SideChannelDevice, ThrottlingMixin, TimestampMixin


class SmsDevice(TimestampMixin, CooldownMixin, ThrottlingMixin, SideChannelDevice):
    """A phone number that receives one-time codes through the configured SMS gateway."""

    number = models.CharField(_("mobile phone number"), max_length=16)

    class Meta(SideChannelDevice.Meta):
        verbose_name = _("text-message device")
        verbose_name_plural = _("text-message devices")

    def get_cooldown_duration(self):
        return settings.MFA_CODE_COOLDOWN_SECONDS

    def get_throttle_factor(self):
        return settings.MFA_THROTTLE_FACTOR

    def verify_token(self, token):
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        verified = super().verify_token(token)
        if verified:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return verified

    @property
    def masked_number(self) -> str:
        return "•" * max(len(self.number) - 2, 0) + self.number[-2:]


class PasskeyHost(models.Model):
    """The host (WebAuthn relying-party id) a passkey was made on; it works there only.

    Browsers bind a passkey to one relying party, and every programme has its own hosts,
    so a passkey made on one programme's host cannot sign in on another's.
    """

    credential = models.OneToOneField(
        "django_otp_webauthn.WebAuthnCredential", on_delete=models.CASCADE, related_name="host",
        verbose_name=_("passkey"),
    )
    rp_id = models.CharField(_("host"), max_length=253, db_index=True)

    class Meta:
        verbose_name = _("passkey host")
        verbose_name_plural = _("passkey hosts")

    def __str__(self):
        return self.rp_id
