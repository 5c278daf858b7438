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
