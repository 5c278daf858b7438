"""Identity workflows: sign-up, e-mail confirmation, invitations, memberships."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from shared_apps.accounts import emails
from shared_apps.accounts.models import Invitation, Membership, User
from shared_apps.audit.services import record
from tenants import catalog

logger = logging.getLogger(__name__)

CONFIRM_SALT = "accounts.confirm-email"


def _tell(*, tenant, user, kind: str, title, url: str = "/dashboard/") -> None:
    """Notify ``user`` inside ``tenant``, in the language they read it in."""
    from django.utils import translation
    from django_tenants.utils import schema_context

    from platform_core.mail import recipient_language
    from tenant_apps.notifications.services import notify

    with schema_context(tenant.schema_name), translation.override(recipient_language(user, tenant)):
        notify(recipient=user, kind=kind, title=str(title), url=url)


def welcome(*, user: User, tenant) -> None:
    _tell(tenant=tenant, user=user, kind="account.welcome",
          title=_lazy("Welcome to %(programme)s") % {"programme": tenant.name})


class AccountError(Exception):
    """An identity workflow was refused; the message is for the user."""


def confirmation_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRM_SALT)


def sign_up(*, tenant, email: str, full_name: str, password: str, role: str, organisation: str = "",
            language: str = "") -> User | None:
    """Register a person on ``tenant`` and e-mail a confirmation link.

    An address that already has an account gets an e-mail telling them to sign in
    instead, and the function returns None: the page looks the same either way, so
    sign-up cannot be used to find out who has an account.
    """
    if role not in tenant.signup_roles:
        raise AccountError(_("This kind of account cannot be created here."))
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        emails.send_account_exists(user=existing, tenant=tenant)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, full_name=full_name.strip(),
                                            preferred_language=language)
            membership = Membership.objects.create(user=user, tenant=tenant, role=role, organisation=organisation.strip())
            record(action="membership.created", tenant=tenant, actor=user, target=membership, after={"role": role})
    except IntegrityError:
        # Two sign-ups for one address at the same moment: the other one won.
        return None
    emails.send_confirmation(user=user, tenant=tenant, token=confirmation_token(user))
    return user


def resend_confirmation(*, tenant, email: str) -> None:
    user = User.objects.filter(email__iexact=email.strip(), email_verified_at__isnull=True).first()
    if user is not None:
        emails.send_confirmation(user=user, tenant=tenant, token=confirmation_token(user))


def confirm_email(token: str) -> tuple[User, bool]:
    """Confirm the address a token was issued for; returns (user, whether it was new)."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise AccountError(_("This confirmation link has expired. Ask for a new one below.")) from exc
    except signing.BadSignature as exc:
        raise AccountError(_("This confirmation link is not valid. Copy the whole link from the e-mail.")) from exc
    user = User.objects.filter(pk=data.get("user"), email=data.get("email")).first()
    if user is None:
        raise AccountError(_("This confirmation link is not valid any more."))
    newly_confirmed = user.email_verified_at is None
    if newly_confirmed:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user, newly_confirmed


def join_tenant(*, user: User, tenant, role: str, organisation: str = "") -> Membership:
    """A signed-in person of another programme joins this one with a self-service role."""
    if role not in tenant.signup_roles:
        raise AccountError(_("This kind of account cannot be created here."))
    membership, created = Membership.objects.for_tenant(tenant).get_or_create(
        user=user, tenant=tenant, defaults={"role": role, "organisation": organisation.strip()}
    )
    if created:
        welcome(user=user, tenant=tenant)
        record(action="membership.created", tenant=tenant, actor=user, target=membership, after={"role": role})
    return membership


def invite(*, tenant, inviter: User, email: str, role: str, organisation: str = "",
           authorised_by_caller: bool = False) -> Invitation:
    """Invite someone to ``tenant``; the inviter must hold the right to grant ``role``.

    ``authorised_by_caller``: a service that applies its own narrower rule (a company's
    owner inviting a co-representative) has already checked the inviter may do this.
    """
    from shared_apps.accounts.permissions import can, role_in

    if not authorised_by_caller:
        if not can(inviter, "members.invite", tenant=tenant):
            raise AccountError(_("You may not invite people to this programme."))
        if role not in catalog.GRANTABLE_ROLES.get(role_in(inviter, tenant), []):
            raise AccountError(_("You may not give this role."))
    email = User.objects.normalize_email(email).lower()
    if Membership.objects.for_tenant(tenant).filter(user__email__iexact=email).exists():
        raise AccountError(_("%(email)s is already a member of this programme.") % {"email": email})
    Invitation.objects.for_tenant(tenant).filter(email__iexact=email, accepted_at__isnull=True,
                                                 revoked_at__isnull=True).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        tenant=tenant, email=email, role=role, organisation=organisation.strip(), invited_by=inviter,
        expires_at=timezone.now() + timedelta(seconds=settings.INVITATION_MAX_AGE),
    )
    record(action="invitation.created", tenant=tenant, actor=inviter, target=invitation,
           after={"email": email, "role": role})
    emails.send_invitation(invitation=invitation, token=invitation_token(invitation))
    return invitation


INVITE_SALT = "accounts.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk, "tenant": invitation.tenant_id}, salt=INVITE_SALT)


def open_invitation(*, tenant, token: str) -> Invitation:
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=settings.INVITATION_MAX_AGE)
    except signing.BadSignature as exc:
        raise AccountError(_("This invitation link is not valid. Copy the whole link from the e-mail.")) from exc
    invitation = Invitation.objects.for_tenant(tenant).filter(pk=data.get("invitation")).first()
    if invitation is None or data.get("tenant") != tenant.pk:
        raise AccountError(_("This invitation is not for this programme."))
    if not invitation.is_open:
        raise AccountError(_("This invitation has already been used, withdrawn or has expired."))
    return invitation


def accept_invitation(*, invitation: Invitation, user: User | None = None, full_name: str = "",
                      password: str = "") -> Membership:
    """Turn an open invitation into a membership, creating the account if needed.

    The invitation reached its address, so that address counts as confirmed.
    """
    with transaction.atomic():
        invitation = Invitation.objects.for_tenant(invitation.tenant).select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise AccountError(_("This invitation has already been used, withdrawn or has expired."))
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise AccountError(_("An account with this address exists: sign in to accept the invitation."))
            user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name.strip(),
                                            email_verified_at=timezone.now())
        elif user.email.lower() != invitation.email.lower():
            raise AccountError(_("This invitation was sent to another e-mail address."))
        elif user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
        membership, created = Membership.objects.for_tenant(invitation.tenant).get_or_create(
            user=user, tenant=invitation.tenant,
            defaults={"role": invitation.role, "organisation": invitation.organisation, "invited_by": invitation.invited_by},
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        from shared_apps.accounts.signals import invitation_accepted

        invitation_accepted.send(sender=Invitation, invitation=invitation, user=user, membership=membership)
        if created:
            welcome(user=user, tenant=invitation.tenant)
            record(action="membership.created", tenant=invitation.tenant, actor=user, target=membership,
                   after={"role": membership.role, "invitation": invitation.pk})
    return membership


def change_role(*, tenant, actor: User, membership: Membership, role: str) -> Membership:
    from shared_apps.accounts.permissions import can

    if not can(actor, "members.manage", tenant=tenant) or membership.tenant_id != tenant.pk:
        raise AccountError(_("You may not change this membership."))
    if role not in catalog.ROLES:
        raise AccountError(_("Unknown role."))
    _keep_an_admin(tenant, membership, new_role=role)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    record(action="membership.role_changed", tenant=tenant, actor=actor, target=membership,
           target_label=membership.user.email, before={"role": before}, after={"role": role})
    logger.info("membership role changed", extra={"membership": membership.pk, "before": before, "after": role})
    if before != role:
        _tell(tenant=tenant, user=membership.user, kind="membership.role_changed",
              title=_lazy("Your role in %(programme)s is now: %(role)s")
              % {"programme": tenant.name, "role": catalog.ROLES[role]})
    return membership


def remove_member(*, tenant, actor: User, membership: Membership) -> None:
    from shared_apps.accounts.permissions import can

    if not can(actor, "members.manage", tenant=tenant) or membership.tenant_id != tenant.pk:
        raise AccountError(_("You may not change this membership."))
    _keep_an_admin(tenant, membership, new_role=None)
    record(action="membership.removed", tenant=tenant, actor=actor, target=membership,
           target_label=membership.user.email, before={"role": membership.role})
    membership.delete()


def _keep_an_admin(tenant, membership: Membership, *, new_role: str | None) -> None:
    if membership.role == catalog.TENANT_ADMIN and new_role != catalog.TENANT_ADMIN:
        admins = Membership.objects.for_tenant(tenant).filter(role=catalog.TENANT_ADMIN).count()
        if admins <= 1:
            raise AccountError(_("A programme needs at least one administrator: appoint another one first."))
